"""Coordinators' setup pages: the assessments list, a new assessment, its page and workflow,
the participating institutions, and the survey matrix (grid, single-cell saves, workbook
export and import).

- assessment: list, create, detail, transition, participants
- grid: the survey matrix grid and its single-cell saves
- matrix_files: the survey matrix as a workbook, export and import
- forms_parsing: reading a form with more fields than Django's global limit (the grid)

Every page fetches its assessment through `assessments.permissions` (get_assessment_for_user,
get_managed_assessment_for_user, get_process_assessment_for_user), as the API does.
"""

from assessments.setup.views.assessment import (
    assessment_carry_forward_view,
    assessment_create,
    assessment_detail,
    assessment_list,
    assessment_participants,
    assessment_transition,
)
from assessments.setup.views.grid import matrix_cell, matrix_grid
from assessments.setup.views.matrix_files import matrix_export, matrix_import_view

__all__ = [
    "assessment_carry_forward_view",
    "assessment_create",
    "assessment_detail",
    "assessment_list",
    "assessment_participants",
    "assessment_transition",
    "matrix_cell",
    "matrix_export",
    "matrix_grid",
    "matrix_import_view",
]
