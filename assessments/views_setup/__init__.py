"""Coordinators' setup pages: a new assessment, its page and workflow, the participating
institutions, and the survey matrix (grid, single-cell saves, workbook export and import).

- assessment: create, detail, transition, participants
- grid: the survey matrix grid and its single-cell saves
- matrix_files: the survey matrix as a workbook, export and import
- common: fetching the assessment with the right permission; forms with many fields
"""

from .assessment import (
    assessment_create,
    assessment_detail,
    assessment_participants,
    assessment_transition,
)
from .grid import matrix_cell, matrix_grid
from .matrix_files import matrix_export, matrix_import_view

__all__ = [
    "assessment_create",
    "assessment_detail",
    "assessment_participants",
    "assessment_transition",
    "matrix_cell",
    "matrix_export",
    "matrix_grid",
    "matrix_import_view",
]
