"""Change projects and everything told in their QI story."""

from .cycles import Cycle, CycleCorrection, CycleEdit
from .drivers import DriverNode
from .pdfs import StoryPdfBuild
from .progress import ProgressScore
from .project import ChangeProject, LensAnswer, ProjectMember
from .stakeholders import Stakeholder
from .value import CarbonActivity, FinancialImpact, SocialImpact

__all__ = [
    "CarbonActivity",
    "ChangeProject",
    "Cycle",
    "CycleCorrection",
    "CycleEdit",
    "DriverNode",
    "FinancialImpact",
    "LensAnswer",
    "ProgressScore",
    "ProjectMember",
    "SocialImpact",
    "Stakeholder",
    "StoryPdfBuild",
]
