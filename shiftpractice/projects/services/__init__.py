"""Writes on change projects. Each function runs in one transaction, checks the rules, and is audited."""

from .cycles import cycle_advance, cycle_correct, cycle_create, cycle_start_next, cycle_update
from .drivers import driver_add, driver_delete, driver_removal, driver_update
from .progress import progress_set, progress_suggest
from .projects import (
    lens_answer_save,
    member_add,
    project_approve_public,
    project_create,
    project_update,
)
from .stakeholders import stakeholder_delete, stakeholder_save
from .value import (
    carbon_activity_add,
    carbon_activity_delete,
    financial_impact_add,
    financial_impact_delete,
    social_impact_add,
    social_impact_delete,
)

__all__ = [
    "carbon_activity_add",
    "carbon_activity_delete",
    "cycle_advance",
    "cycle_correct",
    "cycle_create",
    "cycle_start_next",
    "cycle_update",
    "driver_add",
    "driver_delete",
    "driver_removal",
    "driver_update",
    "financial_impact_add",
    "financial_impact_delete",
    "lens_answer_save",
    "member_add",
    "progress_set",
    "progress_suggest",
    "project_approve_public",
    "project_create",
    "project_update",
    "social_impact_add",
    "social_impact_delete",
    "stakeholder_delete",
    "stakeholder_save",
]
