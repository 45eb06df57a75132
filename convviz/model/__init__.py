"""Session state, undoable edits and number handling: no Qt here."""

from .edits import CellsEdit, Edit, StateEdit
from .events import Event
from .history import History
from .numbers import fmt, format_block, parse_block, parse_number
from .project import Project, ProjectError, load_project, parse_project, save_project
from .session import Session
from .settings import ConvSettings

__all__ = [
    "CellsEdit",
    "ConvSettings",
    "Edit",
    "Event",
    "History",
    "Project",
    "ProjectError",
    "Session",
    "StateEdit",
    "fmt",
    "format_block",
    "load_project",
    "parse_block",
    "parse_number",
    "parse_project",
    "save_project",
]
