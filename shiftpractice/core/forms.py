"""Form mixin that dresses Django widgets in NHS.UK frontend classes and links errors for screen readers."""

from django import forms

_WIDGET_CLASSES = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.ClearableFileInput: "nhsuk-file-upload",
}


class NHSFormMixin:
    """Adds the design system's classes, and aria-describedby to each field's hint and error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._nhs_css: dict[str, str] = {}
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), "nhsuk-input")
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = ""
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            self._nhs_css[name] = css
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"  # type: ignore[index]

    def full_clean(self):
        super().full_clean()  # type: ignore[misc]
        # Mark invalid fields once the errors are known, whenever the view asks for them.
        for name in self._errors or {}:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            attrs = field.widget.attrs
            css = self._nhs_css.get(name, "")
            if css and f"{css}--error" not in attrs["class"]:
                attrs["class"] += f" {css}--error"
            attrs["aria-invalid"] = "true"
            described = [d for d in attrs.get("aria-describedby", "").split() if d]
            described.append(f"{self[name].auto_id}-error")  # type: ignore[index]
            attrs["aria-describedby"] = " ".join(dict.fromkeys(described))


class NHSForm(NHSFormMixin, forms.Form):
    pass


class NHSModelForm(NHSFormMixin, forms.ModelForm):
    pass


def add_service_errors(form: forms.BaseForm, error) -> None:
    """Show a service's ValidationError on the form: field errors by field, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
