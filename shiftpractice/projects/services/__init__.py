"""Writes on change projects. Each function runs in one transaction, checks the rules, and is audited."""

from .cycles import cycle_advance, cycle_correct, cycle_create, cycle_start_next, cycle_update
from .drivers import driver_add, driver_delete
from .progress import progress_set, progress_suggest
from .projects import (
    lens_answer_save,
    member_add,
    project_approve_public,
    project_create,
    project_update,
)
from .stakeholders import stakeholder_delete, stakeholder_save
from .value import carbon_activity_add, carbon_activity_delete, financial_impact_add, social_impact_add

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
    "financial_impact_add",
    "lens_answer_save",
    "member_add",
    "progress_set",
    "progress_suggest",
    "project_approve_public",
    "project_create",
    "project_update",
    "social_impact_add",
    "stakeholder_delete",
    "stakeholder_save",
]
