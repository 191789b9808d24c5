"""The demo's case studies, made through the stories app's own services so every state is real: three published
(one of them corrected, so it has two versions), one published and then withdrawn, and one in review with a
coach's comment. Each published one has its author's consent and its organisation's sign-off through the
emailed link's own path. Loading again changes nothing."""

from shiftpractice.projects.models import ChangeProject
from shiftpractice.stories import services
from shiftpractice.stories.models import CaseStudy

# owner key -> (organisation, setting, region, the sections in the author's words, the state to leave it in)
STORIES = {
    "gp": (
        "Moorside Medical Practice",
        "primary_care",
        "north_east",
        {
            "problem": (
                "Many of our patients with low mood told us that time outdoors helped them more than anything we "
                "offered, yet we had no way to refer them to it. Referrals to nature-based activity were about two "
                "a month, all informal."
            ),
            "what_happened": (
                "Referrals rose over the first three months and stayed higher. The run chart showed a shift of six "
                "points above the median after the referral form went live, which we read as a real change rather "
                "than chance."
            ),
            "learnt": (
                "A one-page referral form mattered more than training. Link workers needed to hear back from us, "
                "so we added a short feedback note. Patients who went twice tended to keep going."
            ),
            "next": (
                "We are asking the primary care network to adopt the form in its other practices, and the local "
                "walking groups to report attendance monthly so we can see who keeps going."
            ),
        },
        "published",
    ),
    "ward-sister": (
        "Riverside Hospitals NHS Foundation Trust",
        "hospital",
        "north_east",
        {
            "problem": (
                "An audit showed that most of the waste our ward sent as infectious, for high-temperature "
                "treatment, was not infectious at all. That costs money and carbon for no benefit to patients."
            ),
            "what_happened": (
                "The weight of orange-bag waste a week fell after the new bin labels and the huddle reminders. "
                "Our spot audits found fewer wrongly classed bags each month."
            ),
            "learnt": (
                "Staff wanted to do the right thing but the bins made the wrong thing easy. Moving the bins "
                "worked better than posters."
            ),
            "next": "The infection prevention team is trialling the same bin layout on two more wards.",
        },
        "published",
    ),
    "pharmacist": (
        "High Street Pharmacy Group",
        "primary_care",
        "london",
        {
            "problem": (
                "Propellant inhalers make up a large share of the carbon from medicines. Many people could use a "
                "dry powder inhaler as well or better, but nobody had asked them."
            ),
            "what_happened": (
                "Switches rose steadily once the review conversation was part of the new medicine service. "
                "Asthma control at follow-up stayed the same, our balancing measure."
            ),
            "learnt": (
                "Patients liked being asked about the planet as well as their breathing. The hardest part was "
                "finding time for technique checks, so we booked them as appointments."
            ),
            "next": "We are sharing the conversation guide with the other branches in the group.",
        },
        "corrected",
    ),
    "midwife": (
        "Southgate Maternity Unit",
        "hospital",
        "south_east",
        {
            "problem": "Much of the nitrous oxide we bought never reached a patient: it leaked from the pipework.",
            "what_happened": "Moving to portable cylinders cut the gap between gas bought and gas given.",
            "learnt": "Estates and clinical staff needed one shared number to talk about.",
        },
        "withdrawn",
    ),
    "physio": (
        "Eastfield Community Physiotherapy",
        "community",
        "midlands",
        {
            "problem": "People waiting for knee physiotherapy lost fitness and confidence while they waited.",
            "what_happened": "Monthly numbers joining a walking group grew once the invitation came with the letter.",
            "learnt": "A named walk leader made the first walk far less daunting.",
        },
        "in_review",
    ),
}


def _write(case_study, sections: dict, actor) -> None:
    for key, text in sections.items():
        services.section_update(case_study=case_study, key=key, text=text, actor=actor)


def _to_publication(case_study, *, organisation: str, lead, token: str, note: str = "") -> None:
    author = case_study.author
    services.submit_for_review(case_study=case_study, actor=author)
    services.review_decide(case_study=case_study, decision="approve", note="", actor=lead)
    services.consent_give(case_study=case_study, actor=author, decision="agree")
    services.signoff_request(
        case_study=case_study,
        name="Sam Okoro",
        email="sign-off@example.org",
        organisation=organisation,
        role="Head of quality",
        actor=author,
        token=token,
    )
    services.signoff_respond(token=token, decision="agree", confirm_name="Sam Okoro")
    services.publish(case_study=case_study, actor=lead, note=note)


def load_demo_stories(*, people: dict, lead, coaches: dict) -> int:
    """Returns how many case studies were made."""
    made = 0
    for key, (organisation, setting, region, sections, state) in STORIES.items():
        author = people[key]
        project = ChangeProject.objects.filter(owner=author).order_by("id").first()
        if project is None or CaseStudy.objects.filter(project=project).exists():
            continue
        case_study = services.case_study_start(project=project, actor=author)
        services.case_study_update(
            case_study=case_study, actor=author, organisation=organisation, setting=setting, region=region
        )
        _write(case_study, sections, author)
        made += 1
        if state == "in_review":
            services.submit_for_review(case_study=case_study, actor=author)
            services.comment_add(
                case_study=case_study,
                section="what_happened",
                body="Could you give the numbers before and after, even roughly?",
                actor=coaches[project.cohort.slug],
            )
            continue
        _to_publication(case_study, organisation=organisation, lead=lead, token=f"demo-sign-off-{key}-1")
        if state == "corrected":
            services.back_to_draft(case_study=case_study, actor=author)
            _write(
                case_study, {"learnt": sections["learnt"] + " Checks took about ten minutes each."}, author
            )
            _to_publication(
                case_study,
                organisation=organisation,
                lead=lead,
                token=f"demo-sign-off-{key}-2",
                note="Added how long the technique checks took.",
            )
        elif state == "withdrawn":
            case_study.refresh_from_db()
            services.withdraw(
                case_study=case_study,
                reason="The unit is reorganising and asked to check it again.",
                actor=author,
            )
    return made
