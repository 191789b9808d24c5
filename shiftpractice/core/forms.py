"""Form mixin that dresses Django widgets in NHS.UK frontend classes, links errors for screen readers and
bounds every free-text field."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

_WIDGET_CLASSES = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.ClearableFileInput: "nhsuk-file-upload",
}


# A label longer than this (a question, say) is not repeated in the too-long message.
_LABEL_IN_MESSAGE = 40


class TextLengthValidator(MaxLengthValidator):
    """The length limit, worded as the NHS design system words it: "Notes must be 20,000 characters or fewer"."""

    def __init__(self, limit_value: int, label: str = ""):
        name = (
            label if label and len(label) <= _LABEL_IN_MESSAGE and not label.endswith("?") else "Your answer"
        )
        super().__init__(
            limit_value,
            message=f"{name} must be {limit_value:,} characters or fewer (you entered %(show_value)d)",
        )


def is_free_text(field: forms.Field) -> bool:
    """A field whose value is the text typed (JSON and UUID fields are CharFields too, but clean to other types)."""
    return isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField | forms.UUIDField)


def bound_text_field(field: forms.Field, name: str) -> None:
    """Give a free-text field a length limit: its own ``max_length``, else ``FORM_TEXT_MAX_LENGTH``.

    Model ``TextField``s have no length of their own, so this bound on the form is their only one (the database
    column stays unbounded). No ``maxlength`` attribute is added for the default bound: browsers cut pasted text
    silently at it, where the server's message says what happened.
    """
    if not is_free_text(field) or any(isinstance(v, TextLengthValidator) for v in field.validators):
        return
    limit = field.max_length if field.max_length is not None else settings.FORM_TEXT_MAX_LENGTH
    field.max_length = limit
    # Django's own validator for max_length words it differently; a stricter one of the field's own stays.
    field.validators = [
        v for v in field.validators if not (type(v) is MaxLengthValidator and v.limit_value == limit)
    ]
    field.validators.append(TextLengthValidator(limit, str(field.label or pretty_name(name))))


def no_blank_radio(field: forms.Field) -> None:
    """A required question asked with radios offers only real answers: no "---------" button, none chosen
    until the person chooses (Django adds a blank choice to model fields without a default)."""
    if not field.required or not isinstance(field.widget, forms.RadioSelect):
        return
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = None
    elif isinstance(field, forms.ChoiceField):
        field.choices = [(value, label) for value, label in field.choices if value not in ("", None)]


class NHSFormMixin:
    """Adds the design system's classes, aria-describedby to each field's hint and error, and a length limit to
    every free-text field (declared once here: ``FORM_TEXT_MAX_LENGTH`` unless the field has its own)."""

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
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"  # type: ignore[index]
        self.bound_text_fields()

    def bound_text_fields(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound_text_field(field, name)
            no_blank_radio(field)

    def full_clean(self):
        # Here, not only in __init__: forms add fields in their own __init__ after this mixin's has run.
        self.bound_text_fields()
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


def saved(form: forms.BaseForm, action):
    """What ``action(form.cleaned_data)`` returns (``True`` when it returns nothing) for a valid form; ``None``
    when the form is invalid or the service refuses, its ValidationError then shown on the form (nothing saved).
    The one way a view runs a form through a service: ``if saved(form, lambda data: service(**data)): ...``."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data) or True
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
