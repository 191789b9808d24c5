"""The API's request and response shapes (pydantic, through django-ninja): the OpenAPI schema is made from
these. Requests refuse unknown fields; numbers must be finite."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator

Number = Annotated[float, Field(allow_inf_nan=False)]


def _in_utc(value: datetime) -> datetime:
    """A moment in UTC (a naive one read in the site's time zone, as Django reads it): the database compares
    moments, and PostgreSQL refuses offsets ISO 8601 allows (beyond 15:59 hours)."""
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("is out of the range of dates this API handles") from None


Moment = Annotated[datetime, AfterValidator(_in_utc)]


class Strict(Schema):
    """A request's fields (a body, or a list's query): unknown ones are refused, and so is text with a NUL
    character (no page takes one, and PostgreSQL cannot store or compare it)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("may not contain the NUL character (U+0000)")
        return value


class PersonRef(Schema):
    id: UUID
    name: str


class MembershipOut(Schema):
    cohort: str = Field(description="The cohort's slug.")
    programme: str = Field(description="The programme's slug.")
    role: str


class MeOut(Schema):
    id: UUID
    email: str
    full_name: str
    job_title: str
    organisation: str
    leads: list[str] = Field(description="Slugs of the programmes the person leads.")
    memberships: list[MembershipOut]
    token: TokenInfo | None = Field(
        None, description="The token this request was made with (none for a session)."
    )


class TokenInfo(Schema):
    id: UUID
    name: str
    scope: str
    expires_at: datetime


class ProgrammeOut(Schema):
    slug: str
    name: str
    summary: str
    organisation: str
    leads: list[PersonRef]
    url: str


class CohortOut(Schema):
    slug: str
    name: str
    programme: str
    start_date: date
    end_date: date
    capacity: int
    status: str
    url: str


class WorkshopOut(Schema):
    id: UUID
    programme: str
    cohorts: list[str]
    number: int
    title: str
    starts_at: datetime
    ends_at: datetime
    joining_url: str
    agenda: str
    url: str


class ProjectOut(Schema):
    id: UUID
    title: str
    status: str
    visibility: str
    is_public: bool
    access: str = Field(description="What the caller may do: public (its public face), read or edit.")
    cohort: str | None = Field(description="The cohort's slug; null to those who read only its public face.")
    programme: str | None
    owner: PersonRef
    aim: str
    aim_what: str
    aim_for_whom: str
    aim_how_much: str
    aim_by_when: date | None
    mfi_accomplish: str
    mfi_know: str
    mfi_change: str
    created_at: datetime
    updated_at: datetime
    url: str


class CycleOut(Schema):
    id: UUID
    number: int
    title: str
    status: str
    start_date: date | None
    end_date: date | None
    revision: int
    objective: str
    questions: str
    prediction: str
    tasks: str
    data_plan: str
    carried_out_as_planned: bool | None
    what_happened: str
    observations: str
    problems: str
    results: str
    learning: str
    learning_loop: str
    decision: str
    next_step: str
    completed_at: datetime | None
    url: str


class MeasureOut(Schema):
    id: UUID
    project: UUID
    name: str
    measure_type: str
    definition: str
    unit: str
    data_kind: str
    rate_per: int
    direction: str
    target: float | None
    frequency: str
    chart: str = Field(description="The chart chosen for the measure; empty when chosen automatically.")
    rule_set: str
    freeze_at: int | None
    updated_at: datetime
    url: str


class PointOut(Schema):
    period: date
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str
    excluded: bool
    exclusion_reason: str
    updated_at: datetime


class PointChange(Strict):
    """A period's new data (the period is in the path)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"value": 12, "note": ""}]})

    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    note: str = Field("", max_length=300)
    excluded: bool = False
    exclusion_reason: str = Field("", max_length=200)


class PointIn(PointChange):
    """One period's data. A measure with a denominator (proportions, rates) takes numerator and denominator;
    any other takes value. The date is read as the start of its period (a weekly measure's Monday...)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"period": "2030-01-01", "value": 12, "note": "New triage form"}]},
    )

    period: date


class BulkRow(Strict):
    period: date
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    note: str | None = Field(
        None, max_length=300, description="Left out in every row: notes already there are kept."
    )


class BulkIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"points": [{"period": "2030-01-01", "value": 12}, {"period": "2030-02-01", "value": 14}]}
            ]
        },
    )

    points: list[BulkRow] = Field(description="One row per period; at most 10,000.")


class BulkOut(Schema):
    created: int
    changed: int
    unchanged: int
    import_id: UUID = Field(
        description="The measure's import record, listed on its page with the files imported."
    )


class SignalOut(Schema):
    rule: str
    label: str
    indices: list[int]
    direction: int
    nature: str = Field(description="improvement, concern or neutral, given the measure's direction.")
    text: str


class ChartOut(Schema):
    measure: UUID
    chart: str
    chart_label: str
    automatic: bool
    rule_set: str
    rule_set_label: str
    problem: str = Field(description="Why the chart cannot be drawn (empty when it can).")
    summary: str
    explanations: list[str]
    signals: list[SignalOut]
    periods: list[date]
    result: dict[str, Any] | None = Field(
        description="The SPC engine's result (its JSON contract, docs/spc.md), null when there is no chart."
    )


class SpcRequest(Schema):
    """The SPC engine's request, as its command line reads it (docs/spc.md)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"chart": "i", "y": [12, 15, 11, 14, 13, 16, 12, 18, 14, 13, 15, 17]}]
        }
    )

    chart: str
    x: list[Any] | None = None
    y: list[float | None]
    n: list[float | None] | None = None
    options: dict[str, Any] | None = None
    explain: bool | None = None


MeOut.model_rebuild()


def paged(item: type) -> type:
    """The shape of one page of a list of ``item``."""
    return type(
        f"{item.__name__.removesuffix('Out')}Page",
        (Schema,),
        {
            "__annotations__": {"results": list[item], "next": str | None},
            "__doc__": "One page; pass `next` as `cursor` for the following page (null: this is the last).",
        },
    )
