"""factory_boy factories for the foundation's models."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from shiftpractice.accounts.models import User
from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Attendance, Cohort, Membership, Workshop
from shiftpractice.programmes.models import Milestone, Programme

LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Nurse"
    organisation = "An NHS trust"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    organisation = "Improvement academy"
    summary = "An improvement programme."

    @factory.post_generation
    def leads(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.leads.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.Sequence(lambda n: date(2030, 1, 1) + timedelta(days=n))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    start_date = date(2030, 1, 1)
    end_date = date(2030, 6, 30)
    capacity = 10


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PARTICIPANT


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    number = 1
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    joining_url = "https://meet.example.org/room"

    @factory.post_generation
    def cohorts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.cohorts.set(extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    workshop = factory.SubFactory(WorkshopFactory)
    user = factory.SubFactory(UserFactory)
    status = "attended"


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)
