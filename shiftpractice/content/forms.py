"""Forms for leads editing the model. They parse and check shape; the rules live in services and validation."""

import json

from django import forms
from django.utils import timezone

from shiftpractice.core.forms import NHSForm

from .choices import Kind, LicenceFlag, Pillar
from .models import ContentItem, ModelVersion
from .validation import check_slug, check_sources

SOURCES_HELP = (
    "One source a line: citation | web address | date accessed (YYYY-MM-DD). Add “| verify” when the values "
    "must be checked against the primary source before publishing, and “| note: ...” for a note."
)


def sources_to_text(sources: list[dict]) -> str:
    lines = []
    for source in sources or []:
        parts = [source.get("citation", ""), source.get("url", ""), source.get("accessed", "")]
        if source.get("verify"):
            parts.append("verify")
        if source.get("note"):
            parts.append(f"note: {source['note']}")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def text_to_sources(text: str) -> list[dict]:
    """Parse the one-source-a-line format; raises ValidationError naming the line at fault."""
    sources = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3:
            raise forms.ValidationError(
                f"Line {n}: give the citation, web address and date, separated by “|”."
            )
        source = {"citation": parts[0], "url": parts[1], "accessed": parts[2], "note": "", "verify": False}
        for extra in parts[3:]:
            if extra.lower() == "verify":
                source["verify"] = True
            elif extra.lower().startswith("note:"):
                source["note"] = extra[5:].strip()
            elif extra:
                raise forms.ValidationError(f"Line {n}: “{extra}” is not “verify” or “note: ...”.")
        sources.append(source)
    problems = check_sources(sources, required=True)
    if problems:
        raise forms.ValidationError(problems)
    return sources


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class VersionDraftForm(NHSForm):
    name = forms.CharField(
        max_length=120,
        help_text="For example “v3 after cohort 2”. Leave blank to number it automatically.",
        required=False,
    )
    dated = forms.DateField(
        label="Date it takes effect",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class VersionForm(NHSForm):
    name = forms.CharField(max_length=120)
    dated = forms.DateField(
        label="Date it takes effect", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    change_note = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Markdown. Say what you changed and what you learned that led to it. Required to publish.",
    )

    @classmethod
    def for_version(cls, version: ModelVersion, data=None):
        return cls(
            data, initial={"name": version.name, "dated": version.dated, "change_note": version.change_note}
        )


class ItemForm(NHSForm):
    """Edit an item's text, structure, sources and licence. Lenses get plain fields for their questions."""

    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Markdown: headings, lists, bold and links.",
    )
    questions = forms.CharField(
        label="Key questions", widget=forms.Textarea(attrs={"rows": 6}), help_text="One question a line."
    )
    tools = forms.CharField(
        label="Tools for this lens",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One tool slug a line, for example tool.iceberg.",
    )
    schema = forms.CharField(
        label="Structure (JSON)",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        required=False,
        help_text="The fields, items, scale, scoring or rows this kind needs, as JSON.",
    )
    pillars = forms.MultipleChoiceField(
        choices=Pillar.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sources = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text=SOURCES_HELP)
    licence_name = forms.CharField(label="Licence", max_length=200, required=False)
    licence_url = forms.URLField(label="Licence web address", required=False, assume_scheme="https")
    licence_flag = forms.ChoiceField(label="How we may use the source", choices=LicenceFlag.choices)
    attribution = forms.CharField(
        label="Attribution text", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    requires_licence = forms.BooleanField(
        label="An organisation must record its own licence before using this", required=False
    )
    change_note = forms.CharField(
        label="What changed in this item", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Kind.LENS:
            del self.fields["schema"]
        else:
            del self.fields["questions"], self.fields["tools"]

    @classmethod
    def for_item(cls, item: ContentItem, data=None):
        initial = {
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "pillars": item.pillars,
            "sources": sources_to_text(item.sources),
            "licence_name": item.licence_name,
            "licence_url": item.licence_url,
            "licence_flag": item.licence_flag,
            "attribution": item.attribution,
            "requires_licence": item.requires_licence,
        }
        if item.kind == Kind.LENS:
            initial["questions"] = "\n".join(item.schema.get("questions", []))
            initial["tools"] = "\n".join(item.schema.get("tools", []))
        else:
            initial["schema"] = json.dumps(item.schema, indent=2, ensure_ascii=False)
        return cls(data, initial=initial, kind=item.kind)

    def clean_schema(self):
        text = self.cleaned_data.get("schema") or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"This is not valid JSON: {exc.msg} at line {exc.lineno}.") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("The structure must be a JSON object, in { }.")
        return value

    def clean_sources(self):
        return text_to_sources(self.cleaned_data.get("sources", ""))

    def item_fields(self, *, base_schema: dict | None = None) -> dict:
        """The cleaned values as keyword arguments for ``services.item_revise`` / ``item_add``."""
        data = self.cleaned_data
        if self.kind == Kind.LENS:
            schema = dict(base_schema or {})
            schema["questions"] = _lines(data["questions"])
            schema["tools"] = _lines(data.get("tools", ""))
        else:
            schema = data["schema"]
        names = [
            "title",
            "summary",
            "body",
            "pillars",
            "sources",
            "licence_name",
            "licence_url",
            "licence_flag",
        ]
        names += ["attribution", "requires_licence", "change_note"]
        return {**{n: data[n] for n in names}, "schema": schema}


class NewItemForm(ItemForm):
    kind_choice = forms.ChoiceField(label="Kind", choices=Kind.choices)
    slug = forms.CharField(
        max_length=100,
        help_text="The kind, a dot, then words joined by hyphens: for example lens.place-based-care.",
    )
    field_order = ["kind_choice", "slug"]

    def clean(self):
        data = super().clean()
        if data.get("kind_choice") and data.get("slug"):
            for problem in check_slug(data["kind_choice"], data["slug"]):
                self.add_error("slug", problem)
        return data


class VerifyForm(NHSForm):
    note = forms.CharField(
        label="What you checked it against",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example the publication, its year and the table or page you compared.",
    )


class LicenceForm(NHSForm):
    reference = forms.CharField(label="Licence reference", max_length=200)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
