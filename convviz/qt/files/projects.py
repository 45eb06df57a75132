"""Opening, saving and never losing work: projects, recent files, autosave, crash recovery."""

from __future__ import annotations

import os
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDateTime, QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...model import NewerProjectError, ProjectError, Session, load_project, save_project

FILTER = "convviz projects (*.convviz)"
MAX_RECENT = 8
AUTOSAVE_DELAY_MS = 1500


def app_settings() -> QSettings:
    """convviz's settings (an INI file in the user's config folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "convviz", "convviz")


def ask_file(
    window, title: str, folder: str, filters: str, name: str = "", save: bool = False
) -> Path | None:
    """The file the user picks (to open, or with ``save`` to write), starting in the folder
    last used for ``folder`` (``name`` suggests a file there); None if they cancel. The
    folder is remembered for next time."""
    settings = app_settings()
    start = Path(settings.value(f"folders/{folder}", str(Path.home()))) / name
    dialog = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
    chosen, _ = dialog(window, title, str(start), filters)
    if not chosen:
        return None
    settings.setValue(f"folders/{folder}", str(Path(chosen).parent))
    return Path(chosen)


def data_dir() -> Path:
    """Where the autosave lives (``CONVVIZ_DATA_DIR`` overrides, for tests and portable use)."""
    override = os.environ.get("CONVVIZ_DATA_DIR")
    base = (
        Path(override)
        if override
        else Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    )
    base.mkdir(parents=True, exist_ok=True)
    return base


class FileController(QObject):
    """The File menu's work for one window.

    ``path`` is the project file the work belongs to (None until saved); the undo stack's clean
    state says whether there are unsaved changes. Unsaved work is written to an autosave file a
    moment after each change and removed when the work is saved or deliberately discarded, so
    an autosave found at start-up means the last session ended in a crash.
    """

    path_changed = Signal()
    project_opened = Signal(dict)  # the view options stored in the project
    message = Signal(str)

    def __init__(
        self, window: QWidget, session: Session, undo_stack, view_options, autosave: bool = True
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.undo_stack = undo_stack
        self.view_options = view_options
        self.path: Path | None = None
        self.autosave_path = data_dir() / "autosave.convviz"
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.write_autosave)
        self.autosave_enabled = autosave
        undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)

    # -- state ---------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether there is work that no file holds."""
        return not self.undo_stack.isClean()

    def title(self) -> str:
        """The window title's file part: the file's name, or the demo's."""
        return self.path.name if self.path else f"{self.session.document.demo_name or 'untitled'}"

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        if shiboken6.isValid(self.undo_stack) and self.dirty:  # not while the window dies
            self._autosave_timer.start()

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if not shiboken6.isValid(self.undo_stack):
            return
        if clean:
            self.remove_autosave()
        self.path_changed.emit()

    # -- autosave ------------------------------------------------------------------------------
    def write_autosave(self) -> None:
        """Keep a copy of unsaved work where the next start will find it."""
        if not self.dirty or not self.autosave_enabled:
            return
        view = dict(self.view_options())
        view["autosave_of"] = str(self.path) if self.path else ""
        try:
            save_project(self.autosave_path, self.session.to_project(view))
        except OSError as error:
            self.message.emit(f"Could not keep an autosave copy: {error}")

    def remove_autosave(self) -> None:
        """Forget the autosave copy (the work is saved, or the user chose to discard it)."""
        self._autosave_timer.stop()
        if self.autosave_enabled:
            self.autosave_path.unlink(missing_ok=True)

    def offer_recovery(self) -> bool:
        """If the last session crashed with unsaved work, offer it back; True if restored.

        An autosave is never lost and never breaks a start: one from a newer convviz is kept
        for that version, an unreadable one is moved aside, and the user is told where.
        """
        if not self.autosave_path.exists():
            return False
        try:
            project = load_project(self.autosave_path)
        except NewerProjectError:
            self.message.emit(
                f"Unsaved work from a newer convviz is kept at {self.autosave_path}; open it "
                "with that version"
            )
            self.autosave_enabled = False  # keep it: this window must not write over it
            return False
        except ProjectError as error:
            self._move_autosave_aside(str(error))
            return False
        when = QDateTime.fromSecsSinceEpoch(int(self.autosave_path.stat().st_mtime))
        answer = QMessageBox.question(
            self.window,
            "Restore unsaved work?",
            "convviz closed without saving last time. Restore the unsaved work from "
            f"{when.toString('yyyy-MM-dd hh:mm')}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.autosave_path.unlink(missing_ok=True)
            return False
        original = project.view.get("autosave_of") or ""
        try:
            self.load(project, Path(original) if original else None)
        except ProjectError as error:
            self._move_autosave_aside(str(error))
            return False
        self.undo_stack.resetClean()  # restored work is not saved in any file yet
        self.message.emit("Restored the unsaved work from the last session")
        return True

    def _move_autosave_aside(self, reason: str) -> None:
        """Keep an autosave that cannot be opened under another name, and say where."""
        stamp = QDateTime.currentDateTime().toString("yyyyMMdd-hhmmss")
        kept = self.autosave_path.with_name(f"autosave-unreadable-{stamp}.convviz")
        try:
            self.autosave_path.replace(kept)
        except OSError as error:
            self.message.emit(f"The last autosave cannot be opened ({reason}) nor moved: {error}")
            self.autosave_enabled = False
            return
        self.message.emit(f"The last autosave cannot be opened ({reason}); it was kept as {kept}")

    # -- opening and saving --------------------------------------------------------------------
    def load(self, project, path: Path | None) -> None:
        """Show a checked project as the work of ``path`` (no question asked; a clean slate).

        ProjectError when it cannot be computed; then nothing has changed.
        """
        try:
            self.session.open_project(project)
        except ValueError as error:
            name = path.name if path else "the project"
            raise ProjectError(f"{name}: {error}") from None
        self.undo_stack.clear()
        self.path = path
        self.project_opened.emit(project.view)
        self.path_changed.emit()

    def open_path(self, path: str | os.PathLike) -> bool:
        """Open a project file; on failure say why and keep the current work."""
        path = Path(path)
        try:
            project = load_project(path)
        except ProjectError as error:
            QMessageBox.warning(self.window, "Cannot open project", str(error))
            self.forget_recent(path)
            return False
        if not self.may_discard():
            return False
        try:
            self.load(project, path)
        except ProjectError as error:
            QMessageBox.warning(self.window, "Cannot open project", str(error))
            return False
        self.remember_recent(path)
        self.remove_autosave()
        self.message.emit(f"Opened {path.name}")
        return True

    def open_dialog(self) -> bool:
        """Ask for a project file and open it."""
        path = ask_file(self.window, "Open project", "projects", FILTER)
        return path is not None and self.open_path(path)

    def save_to(self, path: str | os.PathLike) -> bool:
        """Save to ``path``; on failure say why (the old file, if any, is untouched)."""
        path = Path(path)
        if path.suffix != ".convviz":
            path = path.with_name(path.name + ".convviz")
        try:
            save_project(path, self.session.to_project(self.view_options()))
        except OSError as error:
            QMessageBox.warning(
                self.window,
                "Cannot save project",
                f"{path.name} was not saved: {error.strerror or error}",
            )
            return False
        self.path = path
        self.undo_stack.setClean()
        self.remove_autosave()
        self.remember_recent(path)
        self.path_changed.emit()
        self.message.emit(f"Saved {path.name}")
        return True

    def save(self) -> bool:
        """Save to the project's file, or ask for one."""
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        name = (
            str(self.path)
            if self.path
            else f"{self.session.document.demo_name or 'untitled'}.convviz"
        )
        path = ask_file(self.window, "Save project as", "projects", FILTER, name, save=True)
        return path is not None and self.save_to(path)

    def may_discard(self) -> bool:
        """Ask Save / Discard / Cancel when there is unsaved work; True to go ahead."""
        if not self.dirty:
            return True
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"Save the changes to {self.title()} first?",
            buttons,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.remove_autosave()
            return True
        return False

    # -- recent files --------------------------------------------------------------------------
    def recent(self) -> list[str]:
        """Recently opened or saved projects, newest first."""
        value = app_settings().value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v]

    def remember_recent(self, path: Path) -> None:
        """Put ``path`` first in the recent list."""
        items = [str(path.resolve())] + [p for p in self.recent() if p != str(path.resolve())]
        app_settings().setValue("recent", items[:MAX_RECENT])

    def forget_recent(self, path: Path) -> None:
        """Drop ``path`` from the recent list (it could not be opened)."""
        items = [p for p in self.recent() if p != str(Path(path).resolve())]
        app_settings().setValue("recent", items)
