"""The model, free of Qt: a Document and its edits, the Pipeline computed from it, the
Playhead, the ViewState, and the Session that keeps them in step."""

from ..numbers import fmt, format_block, parse_block, parse_number
from .document import Document
from .edits import CellsEdit, Edit, FieldsEdit
from .events import Event
from .history import History
from .pipeline import Pipeline, Stage
from .playhead import Playhead
from .project import Project, load_project, parse_project, save_project
from .project_fields import NewerProjectError, ProjectError
from .session import Session
from .settings import ConvSettings
from .view_state import ViewState

__all__ = [
    "CellsEdit",
    "ConvSettings",
    "Document",
    "Edit",
    "Event",
    "FieldsEdit",
    "History",
    "NewerProjectError",
    "Pipeline",
    "Playhead",
    "Project",
    "ProjectError",
    "Session",
    "Stage",
    "ViewState",
    "fmt",
    "format_block",
    "load_project",
    "parse_block",
    "parse_number",
    "parse_project",
    "save_project",
]
