from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shiftpractice.stories import services
from shiftpractice.stories.models import SignoffRequest
from shiftpractice.stories.signals import publication_changed

from .helpers import STAKEHOLDER, TOKEN, approved, filled, make_project, published, sign_off, teammate

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case_study(world):
    project = make_project(world)
    return services.case_study_start(project=project, actor=project.owner)


def test_a_new_case_study_is_prefilled_from_its_project_and_never_names_a_stakeholder(world):
    project = make_project(world, measure=True)
    case_study = services.case_study_start(project=project, actor=project.owner)
    assert "Increase referrals to nature-based activities" in case_study.sections["problem"]
    assert [c["title"] for c in case_study.snapshot["charts"]] == ["Referrals a week"]
    assert "<svg" in case_study.snapshot["charts"][0]["html"]
    everything = str(case_study.sections) + str(case_study.snapshot) + case_study.summary
    assert STAKEHOLDER not in everything
    # Starting again gives the same one.
    assert services.case_study_start(project=project, actor=project.owner).pk == case_study.pk


def test_text_naming_someone_from_the_influence_map_is_refused_and_nothing_is_saved(case_study):
    before = case_study.text_version
    with pytest.raises(ValidationError, match="influence map"):
        services.section_update(
            case_study=case_study,
            key="problem",
            text="We won over dr stella stakeholder.",
            actor=case_study.author,
        )
    case_study.refresh_from_db()
    assert case_study.text_version == before
    assert "stakeholder" not in case_study.sections["problem"].lower()


def test_review_needs_the_core_sections_and_locks_the_text(world, case_study):
    services.section_update(case_study=case_study, key="what_happened", text="", actor=case_study.author)
    with pytest.raises(ValidationError, match="What happened"):
        services.submit_for_review(case_study=case_study, actor=case_study.author)
    filled(case_study, case_study.author)
    services.submit_for_review(case_study=case_study, actor=case_study.author)
    with pytest.raises(ValidationError, match="reviewers"):
        services.section_update(case_study=case_study, key="problem", text="changed", actor=case_study.author)
    with pytest.raises(ValidationError, match="Say what should change"):
        services.review_decide(
            case_study=case_study, decision="changes", note=" ", actor=world.people["lead"]
        )
    services.review_decide(
        case_study=case_study, decision="changes", note="Add numbers", actor=world.people["lead"]
    )
    assert case_study.state == "changes_requested"
    assert case_study.comments.get().body == "Add numbers"


def test_publishing_needs_approval_and_every_consent_to_the_text_as_it_is(world, case_study, monkeypatch):
    mate = teammate(world)
    from shiftpractice.projects import services as project_services

    project_services.member_add(project=case_study.project, user=mate, actor=case_study.author)
    services.team_set(case_study=case_study, people=[mate], actor=case_study.author)
    with pytest.raises(ValidationError, match="approves"):
        services.publish(case_study=case_study, actor=world.people["lead"])
    approved(world, case_study)
    services.consent_give(case_study=case_study, actor=case_study.author, decision="agree")
    with pytest.raises(ValidationError, match="Tia Teammate's consent, the organisation's sign-off"):
        services.publish(case_study=case_study, actor=world.people["lead"])
    services.consent_give(case_study=case_study, actor=mate, decision="decline", comment="Not my name")
    sign_off(case_study, monkeypatch)
    with pytest.raises(ValidationError, match="Tia Teammate's consent"):
        services.publish(case_study=case_study, actor=world.people["lead"])
    services.consent_give(case_study=case_study, actor=mate, decision="agree")
    version = services.publish(case_study=case_study, actor=world.people["lead"])
    assert version.number == 1 and version.team_names == ["Tia Teammate"]
    consent = case_study.consents.get(kind="organisation")
    assert (consent.name, consent.method, consent.text_version) == (
        "Mo Manager",
        "email_link",
        version.text_version,
    )
    assert consent.wording.startswith("I am authorised")


def test_a_change_of_text_makes_earlier_consents_lapse(world, case_study, monkeypatch):
    approved(world, case_study)
    services.consent_give(case_study=case_study, actor=case_study.author, decision="agree")
    sign_off(case_study, monkeypatch)
    assert services.consent_status(case_study)["missing"] == []
    services.back_to_draft(case_study=case_study, actor=case_study.author)
    services.section_update(
        case_study=case_study, key="learnt", text="Something new.", actor=case_study.author
    )
    assert services.consent_status(case_study)["missing"] == [
        "the author's consent",
        "the organisation's sign-off",
    ]


def test_publishing_freezes_a_version_and_tells_the_library(world, monkeypatch):
    heard = []

    def listen(sender, key, entry, **kwargs):
        heard.append((key, entry))

    publication_changed.connect(listen)
    try:
        case_study, version = published(world, monkeypatch)
    finally:
        publication_changed.disconnect(listen)
    key, entry = heard[-1]
    assert key == f"case-study:{case_study.pk}"
    assert entry.title == version.title and "Our words for learnt." in entry.text
    assert entry.url == f"/stories/case-studies/{case_study.slug}/"
    # A correction: the public version stays as it was until the new one is published, with a note.
    services.back_to_draft(case_study=case_study, actor=case_study.author)
    services.section_update(case_study=case_study, key="learnt", text="Corrected.", actor=case_study.author)
    version.refresh_from_db()
    assert version.sections["learnt"] == "Our words for learnt."
    services.submit_for_review(case_study=case_study, actor=case_study.author)
    services.review_decide(case_study=case_study, decision="approve", note="", actor=world.people["lead"])
    services.consent_give(case_study=case_study, actor=case_study.author, decision="agree")
    sign_off_again(case_study, monkeypatch)
    with pytest.raises(ValidationError, match="what this version corrects"):
        services.publish(case_study=case_study, actor=world.people["lead"])
    second = services.publish(case_study=case_study, actor=world.people["lead"], note="Fixed a figure.")
    assert (second.number, second.note, second.sections["learnt"]) == (2, "Fixed a figure.", "Corrected.")


def sign_off_again(case_study, monkeypatch):
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: TOKEN + "2")
    services.signoff_request(
        case_study=case_study,
        name="Mo Manager",
        email="mo@practice.example",
        organisation="Riverside Practice",
        role="",
        actor=case_study.author,
    )
    services.signoff_respond(token=TOKEN + "2", decision="agree", confirm_name="Mo Manager")


def test_withdrawal_tells_the_library_and_keeps_the_record(world, monkeypatch):
    case_study, _version = published(world, monkeypatch)
    heard = []
    publication_changed.connect(
        lambda sender, key, entry, **kw: heard.append(entry), weak=False, dispatch_uid="t"
    )
    try:
        services.withdraw(case_study=case_study, reason="Moved job", actor=case_study.author)
    finally:
        publication_changed.disconnect(dispatch_uid="t")
    assert heard == [None]
    case_study.refresh_from_db()
    assert not case_study.is_public and case_study.versions.count() == 1 and case_study.consents.count() == 2
    with pytest.raises(ValidationError):
        services.withdraw(case_study=case_study, reason="", actor=case_study.author)


def test_sign_off_links_that_are_forged_used_expired_or_out_of_date_are_refused(
    world, case_study, monkeypatch
):
    with pytest.raises(services.LinkProblem, match="not one we sent"):
        services.signoff_for_token("forged")
    sign_off(case_study, monkeypatch)
    with pytest.raises(services.LinkProblem, match="used already"):
        services.signoff_respond(token=TOKEN, decision="agree", confirm_name="Mo")
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: "second-token")
    services.signoff_request(
        case_study=case_study,
        name="Mo",
        email="mo@x.example",
        organisation="Riverside Practice",
        role="",
        actor=case_study.author,
    )
    SignoffRequest.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(services.LinkProblem, match="expired"):
        services.signoff_for_token("second-token")
    SignoffRequest.objects.filter(used_at__isnull=True).update(expires_at=timezone.now() + timedelta(days=1))
    services.section_update(case_study=case_study, key="next", text="More.", actor=case_study.author)
    with pytest.raises(services.LinkProblem, match="has changed"):
        services.signoff_for_token("second-token")


def test_images_need_a_text_alternative_and_a_true_type(case_study):
    def add(name, body, alt="A chart on a wall"):
        return services.image_add(
            case_study=case_study,
            upload=SimpleUploadedFile(name, body),
            alt_text=alt,
            caption="",
            section="problem",
            actor=case_study.author,
        )

    with pytest.raises(ValidationError, match="text alternative"):
        add("wall.png", PNG, alt=" ")
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        add("wall.png", b"GIF89a" + b"\x00" * 20)
    with pytest.raises(ValidationError, match="does not match"):
        add("wall.jpg", PNG)
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        add("wall.png", b"<svg onload='alert(1)'></svg>")
    image = add("wall.png", PNG)
    assert image.content_type == "image/png"
    assert case_study.images.count() == 1


def test_roles_and_groups_on_the_influence_map_may_be_mentioned(world, case_study):
    from shiftpractice.projects import services as project_services

    project_services.stakeholder_save(
        project=case_study.project, actor=case_study.author, name="Ward staff", power=3, interest=3
    )
    services.section_update(
        case_study=case_study, key="problem", text="Ward staff asked for it.", actor=case_study.author
    )
    assert case_study.sections["problem"] == "Ward staff asked for it."


def test_a_named_person_who_declines_after_publication_takes_it_off_the_public_pages(world, monkeypatch):
    case_study, _version = published(world, monkeypatch)
    services.consent_give(
        case_study=case_study, actor=case_study.author, decision="decline", comment="Moved on."
    )
    case_study.refresh_from_db()
    assert not case_study.is_public and case_study.state == "withdrawn"


def test_a_sign_off_counts_only_for_the_organisation_the_case_study_names(world, case_study, monkeypatch):
    services.case_study_update(case_study=case_study, actor=case_study.author, organisation="Trust A")
    approved(world, case_study)
    services.consent_give(case_study=case_study, actor=case_study.author, decision="agree")
    with pytest.raises(ValidationError, match="names Trust A"):
        services.signoff_request(
            case_study=case_study,
            name="B",
            email="b@b.example",
            organisation="Trust B",
            role="",
            actor=case_study.author,
        )
    # A sign-off on record from another organisation, against this very text, still does not count.
    services._consent(
        case_study,
        kind="organisation",
        decision="agree",
        method="email_link",
        name="B",
        organisation="Trust B",
    )
    assert services.consent_status(case_study)["missing"] == ["the organisation's sign-off"]
