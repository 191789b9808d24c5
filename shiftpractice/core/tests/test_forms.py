"""The NHS form mixin bounds every free-text field, with a message that says what to do."""

from django import forms

from shiftpractice.core.forms import NHSForm, NHSModelForm, TextLengthValidator
from shiftpractice.core.models import AuditEvent


class NoteForm(NHSForm):
    notes = forms.CharField(widget=forms.Textarea, required=False)
    title = forms.CharField(max_length=10)


class QuestionsForm(NHSForm):
    """Adds a field in its own __init__, after the mixin's has run, as several of the app's forms do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.CharField(label="What went well this week?", widget=forms.Textarea)


class AuditForm(NHSModelForm):
    class Meta:
        model = AuditEvent
        fields = ["verb", "summary", "data"]


def test_a_text_field_without_a_limit_gets_the_configured_one(settings):
    settings.FORM_TEXT_MAX_LENGTH = 50
    form = NoteForm(data={"notes": "x" * 51, "title": "ok"})
    assert not form.is_valid()
    assert form.errors["notes"] == ["Notes must be 50 characters or fewer (you entered 51)"]
    assert NoteForm(data={"notes": "x" * 50, "title": "ok"}).is_valid()
    # No maxlength attribute for the default bound: a browser would cut pasted text without a word.
    assert "maxlength" not in str(form["notes"])


def test_a_field_with_its_own_limit_keeps_it_with_the_same_wording():
    form = NoteForm(data={"title": "x" * 11})
    assert not form.is_valid()
    assert form.errors["title"] == ["Title must be 10 characters or fewer (you entered 11)"]
    assert 'maxlength="10"' in str(form["title"])


def test_fields_added_after_the_mixin_ran_are_bounded_too(settings):
    settings.FORM_TEXT_MAX_LENGTH = 100
    form = QuestionsForm(data={"answer": "y" * 101})
    assert not form.is_valid()
    # A long label (a question) is not repeated in the message.
    assert form.errors["answer"] == ["Your answer must be 100 characters or fewer (you entered 101)"]
    assert form.fields["answer"].max_length == 100


def test_a_model_form_keeps_the_column_limit_and_leaves_structured_fields_alone(settings):
    settings.FORM_TEXT_MAX_LENGTH = 30
    form = AuditForm(data={"verb": "v", "summary": "s" * 256, "data": '{"k": "' + "z" * 40 + '"}'})
    assert not form.is_valid()
    assert form.errors["summary"] == ["Summary must be 255 characters or fewer (you entered 256)"]
    assert "data" not in form.errors  # JSON cleans to a dict, not text: no length rule applies to it


def test_bounding_twice_adds_one_validator():
    form = NoteForm(data={"notes": "a", "title": "b"})
    form.is_valid()
    form.full_clean()
    assert sum(isinstance(v, TextLengthValidator) for v in form.fields["notes"].validators) == 1


def test_a_required_radio_question_offers_no_blank_answer():
    class Question(NHSForm):
        kind = forms.ChoiceField(
            choices=[("", "---------"), ("a", "Adopt"), ("b", "Abandon")], widget=forms.RadioSelect
        )
        maybe = forms.ChoiceField(
            choices=[("", "Not sure"), ("a", "Adopt")], widget=forms.RadioSelect, required=False
        )

    form = Question()
    assert [value for value, _ in form.fields["kind"].choices] == ["a", "b"]
    assert "---------" not in str(form["kind"])
    assert [value for value, _ in form.fields["maybe"].choices] == ["", "a"]  # optional: blank is an answer


def test_every_error_in_the_summary_names_its_field():
    from django.template.loader import render_to_string

    form = NoteForm(data={"notes": "", "title": ""})
    assert not form.is_valid()
    summary = render_to_string("includes/error_summary.html", {"form": form})
    assert "Title: This field is required." in summary
