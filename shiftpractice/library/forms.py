"""The lead's forms: a training page or a download, and the reason for a withdrawal."""

import re

from django import forms
from django.template.defaultfilters import filesizeformat

from shiftpractice.content.choices import VersionStatus
from shiftpractice.content.licences import DEFAULT_LICENCE, Licence
from shiftpractice.content.models import ModelVersion
from shiftpractice.core.forms import NHSForm

from .choices import ItemKind, Lens, Region, Setting
from .services import MAX_TOPICS, normalise_topics
from .uploads import ACCEPT, ALLOWED_PHRASE, MAX_LIBRARY_BYTES, check_library_file

# What a page may not hold. The renderer drops all of it anyway (raw HTML is escaped, javascript: links stay
# text); the form says so, so the lead is not surprised by what the public page shows.
_UNSAFE = [
    (re.compile(r"<\s*script", re.I), "a script (<script>)"),
    (re.compile(r"<\s*iframe", re.I), "an embedded frame (<iframe>)"),
    (re.compile(r"<\s*(object|embed)\b", re.I), "an embedded object (<object> or <embed>)"),
    (re.compile(r"<[^>]*\bon[a-z]+\s*=", re.I), "an event handler (onclick= and the like)"),
    (re.compile(r"(java|vb)\s*script\s*:", re.I), "a javascript: link"),
    (re.compile(r"data\s*:\s*text/html", re.I), "a data:text/html link"),
]


def unsafe_parts(text: str) -> list[str]:
    """What in ``text`` a library page may not hold, in words (empty when it is fine)."""
    compact = re.sub(r"[\x00-\x20]+", "", text or "")  # "java\tscript:" is still a javascript: link
    found = []
    for pattern, words in _UNSAFE:
        if pattern.search(text or "") or (words == "a javascript: link" and pattern.search(compact)):
            found.append(words)
    return found


def _versions():
    return ModelVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number")


class ItemForm(NHSForm):
    title = forms.CharField(max_length=200, help_text="For example, Plan-Do-Study-Act in plain words.")
    summary = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One paragraph: what it is and who it is for. Shown in lists, search results and links shared.",
    )
    body = forms.CharField(
        label="The page",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown: ## headings, - lists, **bold**, [links](https://example.org) and tables. "
        "Scripts, embedded frames and javascript: links are not allowed.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"{ALLOWED_PHRASE[0].upper()}{ALLOWED_PHRASE[1:]}, smaller than "
        f"{filesizeformat(MAX_LIBRARY_BYTES)}. It is offered as a download, never opened in the browser.",
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "nhsuk-file-upload"}),
    )
    licence = forms.ChoiceField(
        choices=Licence.choices,
        initial=DEFAULT_LICENCE,
        widget=forms.RadioSelect,
        help_text="What others may do with it: the library says what each licence allows.",
    )
    attribution = forms.CharField(
        label="Made by",
        max_length=300,
        help_text="The people and organisation a citation names, for example Dr A. Example, Riverside Surgery.",
    )
    model_version = forms.ModelChoiceField(
        queryset=_versions(),
        required=False,
        label="Model version it belongs to",
        empty_label="Not tied to a version",
    )
    lenses = forms.MultipleChoiceField(
        choices=Lens.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        label="Journey stages", choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    setting = forms.ChoiceField(choices=[("", "Any or not stated"), *Setting.choices], required=False)
    region = forms.ChoiceField(choices=[("", "Not stated"), *Region.choices], required=False)
    topics = forms.CharField(
        max_length=600,
        required=False,
        help_text=f"Up to {MAX_TOPICS}, separated by commas, for example run charts, measurement.",
    )
    workshop = forms.TypedChoiceField(
        label="For workshop",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "No particular workshop")] + [(n, f"Workshop {n}") for n in range(1, 9)],
        help_text="Goes into that workshop's training pack and the facilitator pack.",
    )

    def __init__(
        self, *args, item_kind: str = ItemKind.PAGE, stage_choices=(), has_file: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        kind = self.kind = item_kind
        self.fields["model_version"].queryset = _versions()
        self.fields["stages"].choices = list(stage_choices)
        if kind == ItemKind.PAGE:
            del self.fields["file"]
        else:
            del self.fields["body"]
            self.fields["file"].required = not has_file
            if has_file:
                self.fields["file"].help_text += " Leave empty to keep the file you uploaded."

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        found = unsafe_parts(body)
        if found:
            raise forms.ValidationError(
                "The page contains "
                + ", ".join(found)
                + ", which a library page cannot hold: remove it. To point to a video or tool, use an ordinary "
                "https:// link."
            )
        return body

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_library_file(upload)
        return upload

    def clean_topics(self):
        return normalise_topics(self.cleaned_data.get("topics", ""))

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "file"}
        data["region"] = data.get("region") or ""
        data["setting"] = data.get("setting") or ""
        return data


def initial_of(item) -> dict:
    return {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "licence": item.licence,
        "attribution": item.attribution,
        "model_version": item.model_version_id,
        "lenses": item.lenses,
        "stages": item.stages,
        "setting": item.setting,
        "region": item.region,
        "topics": ", ".join(item.topics),
        "workshop": item.workshop,
    }


class WithdrawForm(NHSForm):
    reason = forms.CharField(
        label="Why it is withdrawn",
        max_length=300,
        required=False,
        help_text="Kept with the record, for the programme's leads. Not shown to the public.",
    )
