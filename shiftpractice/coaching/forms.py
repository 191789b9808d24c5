"""Forms for coaching pages. They parse and check shapes; the services hold the rules."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from shiftpractice.core.forms import NHSForm, NHSModelForm

from .choices import ActionOwner, ContactMode, Initiator, PeerGroupKind, Privacy
from .models import CoachingPolicy
from .models.support import MAX_CONTACT_MINUTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTION_SLOTS = 2


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class AssignmentForm(NHSForm):
    participant = PersonChoiceField(queryset=None, empty_label="Choose a participant")
    coach = PersonChoiceField(queryset=None, empty_label="Choose a coach")
    starts_on = forms.DateField(label="Coaching starts on", widget=DATE)
    ends_on = forms.DateField(
        label="Coaching ends on",
        widget=DATE,
        required=False,
        help_text="Leave empty while the support goes on.",
    )

    def __init__(self, *args, participants, coaches, edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["coach"].queryset = coaches
        if edit:
            del self.fields["participant"]


class PolicyForm(NHSModelForm):
    class Meta:
        model = CoachingPolicy
        fields = ["leads_read_coach_notes", "nudge_after_days", "participant_note"]
        help_texts = {
            "leads_read_coach_notes": (
                "Applies to the notes coaches write from now on: each note keeps the policy it was written "
                "under. The programme's participants and coaches are told when you change it."
            )
        }


class ContactForm(NHSForm):
    occurred_on = forms.DateField(label="Date of the contact", widget=DATE)
    mode = forms.ChoiceField(
        label="How were you in touch?", choices=ContactMode.choices, widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(
        label="How long, in minutes", min_value=0, max_value=MAX_CONTACT_MINUTES, help_text="0 for an email."
    )
    initiated_by = forms.ChoiceField(
        label="Who got in touch?", choices=Initiator.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 5}), help_text="Shared with the participant."
    )
    notes = forms.CharField(
        label="Your private notes", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_contact_on = forms.DateField(label="Next agreed contact", widget=DATE, required=False)

    def __init__(self, *args, notes_hint: str, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].help_text = notes_hint
        self.fields["notes"].widget.attrs["aria-describedby"] = f"{self['notes'].auto_id}_helptext"
        self.fields["occurred_on"].initial = timezone.localdate()
        for n in range(1, ACTION_SLOTS + 1):
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=f"Agreed action {n}", max_length=300, required=False, help_text="Leave empty if none."
            )
            self.fields[f"action_{n}_owner"] = forms.ChoiceField(
                label=f"Whose is action {n}?",
                choices=ActionOwner.choices,
                initial=ActionOwner.PARTICIPANT,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"action_{n}_due_on"] = forms.DateField(
                label=f"Action {n} is due on", widget=DATE, required=False
            )
            self.fields[f"action_{n}_project"] = forms.ChoiceField(
                label=f"Action {n} is for", choices=links, required=False
            )
            for suffix in ("description", "due_on", "project"):
                name = f"action_{n}_{suffix}"
                widget = self.fields[name].widget
                widget.attrs["class"] = "nhsuk-select" if suffix == "project" else "nhsuk-input"
                self._nhs_css[name] = widget.attrs["class"]
                if self.fields[name].help_text:
                    widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"
            self._nhs_css[f"action_{n}_owner"] = ""

    def clean(self):
        data = super().clean()
        for n in range(1, ACTION_SLOTS + 1):
            if (data.get(f"action_{n}_description") or "").strip():
                if not data.get(f"action_{n}_due_on"):
                    self.add_error(f"action_{n}_due_on", f"Enter the date action {n} is due.")
                if not data.get(f"action_{n}_owner"):
                    self.add_error(f"action_{n}_owner", f"Choose whose action {n} is.")
        return data


def link_choices(projects, cycles) -> list[tuple[str, str]]:
    """Choices for linking an action: nothing, a project, or one of its PDSA cycles."""
    choices = [("", "Nothing in particular")]
    for project in projects:
        choices.append((f"p{project.public_id}", f"Project: {project.title}"))
        for cycle in cycles:
            if cycle.project_id == project.pk:
                choices.append(
                    (f"c{cycle.public_id}", f"{project.title}: PDSA {cycle.number}, {cycle.title}")
                )
    return choices


class ActionForm(NHSForm):
    description = forms.CharField(max_length=300)
    owner = forms.ChoiceField(
        label="Whose action is it?", choices=ActionOwner.choices, widget=forms.RadioSelect
    )
    due_on = forms.DateField(label="Due on", widget=DATE)
    project = forms.ChoiceField(label="For", required=False)

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = links


class JournalEntryForm(NHSForm):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your reflection",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="You can use markdown: **bold**, lists and links.",
        strip=False,
    )
    tags = forms.CharField(
        required=False,
        max_length=400,
        help_text="Separate tags with commas, for example: influence, triple loop",
    )
    privacy = forms.ChoiceField(
        label="Who can read it?", choices=Privacy.choices, widget=forms.RadioSelect, initial=Privacy.PRIVATE
    )
    peer_group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Choose a peer group",
        help_text="Only if you share it with a peer group.",
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer_group"].queryset = groups
        if not groups.exists():
            del self.fields["peer_group"]
            self.fields["privacy"].choices = [c for c in Privacy.choices if c[0] != Privacy.PEER_GROUP]


class PeerGroupForm(NHSForm):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(label="Kind of group", choices=PeerGroupKind.choices, widget=forms.RadioSelect)
    members = PeopleField(queryset=None)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = participants
        self._nhs_css["members"] = ""


class MeetingForm(NHSForm):
    met_on = forms.DateField(label="Date of the meeting", widget=DATE)
    notes = forms.CharField(
        label="What we talked about", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, members, roles, suggested: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_on"].initial = timezone.localdate()
        role_choices = [("", "Did not come"), *[(r.value, r.label) for r in roles]]
        self.member_fields = []
        for user in members:
            role_name, commit_name = f"role_{user.pk}", f"commitment_{user.pk}"
            self.fields[role_name] = forms.ChoiceField(
                label=f"{user.full_name}'s role",
                choices=role_choices,
                required=False,
                initial=suggested.get(user.pk, ""),
            )
            self.fields[commit_name] = forms.CharField(
                label=f"{user.full_name}'s commitment", max_length=300, required=False
            )
            self.fields[role_name].widget.attrs["class"] = "nhsuk-select"
            self.fields[commit_name].widget.attrs["class"] = "nhsuk-input"
            self._nhs_css[role_name], self._nhs_css[commit_name] = "nhsuk-select", "nhsuk-input"
            self.member_fields.append((user, role_name, commit_name))

    def roles(self) -> list:
        return [
            (user, self.cleaned_data[r], self.cleaned_data[c])
            for user, r, c in self.member_fields
            if self.cleaned_data.get(r)
        ]


class ThreadForm(NHSForm):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your post",
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        help_text="You can use markdown.",
    )


class PostForm(NHSForm):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 5}), strip=False)


class HideForm(NHSForm):
    reason = forms.CharField(
        label="Why are you hiding this post?",
        max_length=300,
        help_text="The author and everyone reading the thread see this reason.",
    )


class CommentForm(NHSForm):
    body = forms.CharField(label="Add a comment", widget=forms.Textarea(attrs={"rows": 3}), strip=False)


def assignable_people(cohort, role):
    from shiftpractice.accounts.models import User

    return User.objects.filter(memberships__cohort=cohort, memberships__role=role).order_by("full_name")


def unassigned_participants(cohort):
    from shiftpractice.accounts.models import User

    return (
        User.objects.filter(memberships__cohort=cohort, memberships__role="participant")
        .filter(~Q(coach_assignments__cohort=cohort))
        .order_by("full_name")
    )
