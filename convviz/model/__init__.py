"""Session state, undoable edits and number handling: no Qt here."""

from .edits import CellsEdit, Edit, StateEdit
from .events import Event
from .history import History
from .numbers import fmt, format_block, parse_block, parse_number
from .session import Session
from .settings import ConvSettings

__all__ = [
    "CellsEdit",
    "ConvSettings",
    "Edit",
    "Event",
    "History",
    "Session",
    "StateEdit",
    "fmt",
    "format_block",
    "parse_block",
    "parse_number",
]
