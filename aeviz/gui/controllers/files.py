"""File → New, Open, Lessons, Open Recent, Save, Save As, Export, and crash
recovery; the unsaved-changes question.  Tests replace the dialog methods
(``ask_unsaved``, ``choose_open_path``, ``choose_save_path``, ``show_error``,
``ask_restore``, ``choose_export_path``, ``choose_export_folder``)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote_to_bytes

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from aeviz.core.files import fileformat
from aeviz.core.files.fileformat import FileFormatError, load
from aeviz.core.model import default_model
from aeviz.core.files.presets import load_preset, preset_paths
from aeviz.gui.runtime import autosave
from aeviz.gui.window import export
from aeviz.gui.runtime import settings
from aeviz.gui.window.actions import ActionSpec, Place
from aeviz.gui.runtime.document import Document
from aeviz.gui.runtime.saving import FileWriter
from aeviz.gui.runtime.throttle import show_everything
from aeviz.gui.runtime.training import TrainingController
from aeviz.terminal import shown

FILE_FILTER = "aeviz lessons (*.aeviz);;All files (*)"


class FileController:
    """Needs the window (dialog parent, status bar, picture of the window), the
    document, the training controller and the views that can be exported."""

    def __init__(self, window: QMainWindow, doc: Document, training: TrainingController,
                 diagram, loss_plot, code_space, status: Callable[[str], None],
                 writer: FileWriter) -> None:
        self.window, self.doc, self.training, self.writer = window, doc, training, writer
        self.diagram, self.loss_plot, self.code_space = diagram, loss_plot, code_space
        self.status = status
        self._lesson_actions: dict[str, QAction] = {}
        self._lesson_titles: dict[str, str] = {}
        self._lessons_menu: QMenu | None = None
        self.recent_menu: QMenu | None = None
        self.export_menu: QMenu | None = None
        # a built-in lesson (not a file of the user's): leaving it keeps a copy, no question
        self._builtin = doc.lesson.path is None

    @property
    def builtin(self) -> bool:
        return self._builtin

    @builtin.setter
    def builtin(self, on: bool) -> None:       # the Lessons menu's tick follows
        self._builtin = on
        self._mark_current_lesson()

    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec("new", "&New", self.new_file, ("Ctrl+N",),
                       "A new 5-2-5 with random weights",
                       menu=Place("&File", 0, 0)),
            ActionSpec("open", "&Open…", self.open_dialog, ("Ctrl+O",), "Open a lesson file",
                       menu=Place("&File", 0, 1), toolbar=Place("Main")),
            ActionSpec("save", "&Save", self.save, ("Ctrl+S",), "Save the lesson",
                       menu=Place("&File", 1), toolbar=Place("Main")),
            ActionSpec("save_as", "Save &As…", self.save_as_dialog, ("Ctrl+Shift+S",),
                       menu=Place("&File", 1)),
            ActionSpec("quit", "&Quit", self.window.close, ("Ctrl+Q",),
                       menu=Place("&File", 3)),
            ActionSpec("copy_diagram", "Copy diagram to clipboard",
                       lambda: export.copy_picture(self.diagram.viewport()), ("Ctrl+Shift+C",),
                       menu=Place("&File/&Export", 1)),
        ]

    # --- dialogs (tests replace these) -------------------------------------------------
    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel'."""
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"“{self.doc.lesson.model.name}” has changes that are not saved. Save them first?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(answer, "cancel")

    def choose_open_path(self) -> str:
        return QFileDialog.getOpenFileName(self.window, "Open a lesson", "", FILE_FILTER)[0]

    def choose_save_path(self) -> str:
        start = shown(str(self.doc.lesson.path or Path.home() / f"{self.doc.lesson.model.name}.aeviz"))
        path = QFileDialog.getSaveFileName(self.window, "Save the lesson", start, FILE_FILTER)[0]
        if path and not path.endswith(".aeviz"):
            path += ".aeviz"
        return path

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self.window, title, shown(message))    # file names as the CLI

    def ask_restore(self, when: float) -> bool:
        stamp = time.strftime("%H:%M on %d %b", time.localtime(when))
        return QMessageBox.question(
            self.window, "Restore unsaved work?",
            f"aeviz did not close normally last time. Restore the unsaved work "
            f"autosaved at {stamp}?") == QMessageBox.Yes

    def choose_export_path(self, title: str, ext: str) -> str:
        start = str(Path.home() / f"{self.doc.lesson.model.name}.{ext}")
        path = QFileDialog.getSaveFileName(self.window, title.rstrip("…"), start,
                                           f"{ext.upper()} (*.{ext})")[0]
        if path and not path.lower().endswith(f".{ext}"):
            path += f".{ext}"
        return path

    def choose_export_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self.window, "Folder for the frames",
                                                str(Path.home()))

    # --- menus ---------------------------------------------------------------------------
    def set_lessons_menu(self, menu: QMenu) -> None:
        """The built-in lessons, read when the menu first opens (or
        ``lesson_actions`` is asked for): fourteen files fewer to read at start-up."""
        self._lessons_menu = menu
        menu.aboutToShow.connect(lambda: self.lesson_actions)
        menu.aboutToShow.connect(self._mark_current_lesson)
        self.doc.structure_changed.connect(self._mark_current_lesson)   # New, Open, a lesson

    @property
    def lesson_actions(self) -> dict[str, QAction]:
        if not self._lesson_actions and self._lessons_menu is not None:
            self._fill_lessons_menu(self._lessons_menu)
        return self._lesson_actions

    def _fill_lessons_menu(self, menu: QMenu) -> None:
        for name, path in preset_paths().items():
            try:
                title = load(path).name
            except FileFormatError:
                continue
            action = menu.addAction(title)
            action.setCheckable(True)
            self._lesson_titles[name] = title
            action.triggered.connect(lambda _checked=False, n=name: self.open_preset(n))
            self._lesson_actions[name] = action
        self._mark_current_lesson()

    def set_recent_menu(self, menu: QMenu) -> None:
        self.recent_menu = menu
        menu.aboutToShow.connect(self._fill_recent_menu)

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        for action in menu.actions():
            action.deleteLater()
        menu.clear()
        for p in recent_files():
            menu.addAction(shown(p)).triggered.connect(
                lambda _checked=False, p=p: self.open_path(p))
        if menu.isEmpty():
            menu.addAction("(none yet)").setEnabled(False)

    def fill_export_menu(self, menu: QMenu) -> None:
        items = [
            ("Diagram as PNG…", "png", lambda p: export.scene_png(self.diagram, p)),
            ("Diagram as SVG…", "svg", lambda p: export.scene_svg(self.diagram, p)),
            ("Loss plot as PNG…", "png", lambda p: export.widget_png(self.loss_plot.plot, p)),
            ("Loss plot as SVG…", "svg", lambda p: export.widget_svg(self.loss_plot.plot, p)),
            ("Code space as PNG…", "png", lambda p: export.widget_png(self.code_space.plot, p)),
            ("Code space as SVG…", "svg", lambda p: export.widget_svg(self.code_space.plot, p)),
            ("Training history as CSV…", "csv", self._export_history),
        ]
        for title, ext, write in items:
            menu.addAction(title).triggered.connect(
                lambda _checked=False, title=title, ext=ext, write=write:
                self.export_to(title, ext, write))
        menu.addAction("Training run as PNG sequence…").triggered.connect(
            lambda _checked=False: self.export_frames())
        self.export_menu = menu

    # --- lessons and files -------------------------------------------------------------------
    def may_discard(self) -> bool:
        """True if the current lesson may be replaced (saved first if asked).  A run
        in progress is committed first, and a save in flight is waited for (its
        outcome decides whether there is anything unsaved), so the question sees it."""
        self.training.pause()
        self.writer.wait()
        if not self.doc.lesson.modified:
            return True
        if self.builtin and self.doc.lesson.path is None:
            return self.keep_builtin()
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save(wait=True)
        return answer == "discard"

    def keep_builtin(self) -> bool:
        """Leaving a changed built-in lesson asks nothing: its state is saved to
        the app's data folder and listed first under File → Open Recent."""
        import re
        name = re.sub(r"[^\w.-]+", "-", self.doc.lesson.model.name).strip("-") or "lesson"
        try:
            path = autosave.keep_copy(self.doc.lesson.model, name, self.doc.lesson.epoch)
        except (OSError, ValueError) as e:        # could not keep it: ask as for a file
            self.status(f"Could not keep a copy: {_reason(e)}")
            answer = self.ask_unsaved()
            return self.save() if answer == "save" else answer == "discard"
        self._remember_recent(path)
        self.status(f"“{self.doc.lesson.model.name}” as you left it (epoch {self.doc.lesson.epoch}) is kept: "
                    "File → Open Recent.")
        return True

    def new_file(self) -> None:
        if self.may_discard():
            self.doc.lesson.replace(default_model(), None)
            self.builtin = False

    def open_dialog(self) -> None:
        if self.may_discard():
            path = self.choose_open_path()
            if path:
                self.open_path(path, ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        if ask and not self.may_discard():
            return False
        self.writer.wait()                 # the file may be the one being saved
        try:
            # a kept copy reopens at the epoch it was left at (other files: 0)
            self.doc.lesson.open(Path(path), autosave.kept_epoch(Path(path)))
        except FileFormatError as e:
            self.show_error("Cannot open the file", shown(f"{Path(path).name}: {e}"))
            return False
        self.builtin = False
        self._remember_recent(Path(path))
        return True

    def open_preset(self, name: str) -> None:
        if self.may_discard():
            self.doc.lesson.replace(load_preset(name), None)
            self.builtin = True
        self._mark_current_lesson()

    def current_preset(self) -> str | None:
        """The built-in lesson open now (None: a file of the user's, New, or a kept
        copy): the one whose title the open built-in lesson carries."""
        if not self.builtin or self.doc.lesson.path is not None:
            return None
        title = self.doc.lesson.model.name
        return next((n for n, t in self._lesson_titles.items() if t == title), None)

    def _mark_current_lesson(self) -> None:
        """The Lessons menu ticks the lesson open now, and only it."""
        current = self.current_preset()
        for name, action in self._lesson_actions.items():
            action.setChecked(name == current)

    def save(self, wait: bool = False) -> bool:
        if self.doc.lesson.path is None:
            return self.save_as_dialog(wait)
        return self.save_to(self.doc.lesson.path, wait)

    def save_as_dialog(self, wait: bool = False) -> bool:
        path = self.choose_save_path()
        return bool(path) and self.save_to(Path(path), wait)

    def save_to(self, path: Path, wait: bool = False) -> bool:
        """Save what is committed now, written in the writer thread (the window goes
        on; edits made meanwhile stay unsaved).  True once asked for; with ``wait``,
        once written, and False if it failed.  The outcome arrives when the file is
        written: "Saved to …", or an error dialog and the lesson still modified."""
        job = self.doc.lesson.save_snapshot(Path(path))
        outcome: list[bool] = []
        self.writer.submit(lambda: fileformat.save(job.model, job.path, self.writer.pause),
                           lambda error: outcome.append(self._saved(job, error)))
        if wait:
            self.writer.wait()
            return bool(outcome and outcome[0])
        self.status(f"Saving to {shown(str(path))}…")
        return True

    def _saved(self, job, error: BaseException | None) -> bool:
        """On the GUI thread, once ``job`` is written or failed."""
        path = job.path
        if error is not None:
            reason = _reason(error) if isinstance(error, (OSError, ValueError)) else (
                f"{type(error).__name__}: {error}")
            self.show_error("Not saved", shown(f"Could not save to {path}: {reason}. "
                                               "The file on disk was left as it was."))
            return False
        self.doc.lesson.saved(job)
        self._remember_recent(path)
        self.status(f"Saved to {shown(str(path))}")
        return True

    def _remember_recent(self, path: Path) -> None:
        recent = [p for p in recent_files() if p != str(path)]
        settings.write(settings.RECENT_FILES, [_to_setting(p) for p in
                                               [str(path)] + recent[:settings.MAX_RECENT - 1]])

    # --- crash recovery ------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """If a crashed session left an autosave, offer it; True if restored."""
        for path in autosave.left_behind():
            found = autosave.recover(path)
            if found is None:
                continue
            restore = self.ask_restore(found.time)
            autosave.forget(path)
            if restore:
                self.training.pause()
                self.doc.lesson.replace(found.model, found.original, epoch=found.epoch)
                self.doc.lesson.mark_unsaved()        # restored work is not saved yet
                self.status("Restored the autosaved work")
                return True
        return False

    # --- export --------------------------------------------------------------------------
    def export_to(self, title: str, ext: str, write) -> bool:
        path = self.choose_export_path(title, ext)
        if not path:
            return False
        try:
            write(path)
        except (OSError, ValueError) as e:
            self.show_error("Not exported", shown(f"Could not write {path}: {_reason(e)}. "
                                                  "Nothing was written."))
            return False
        self.status(f"Exported to {shown(str(path))}")
        return True

    def _export_history(self, path: str) -> None:
        self.training.pause()
        export.history_csv(self.doc.lesson, path)

    def export_frames(self, max_frames: int = 60) -> int:
        """The run so far as numbered PNGs of the window (frame_0001.png, ...), one per
        rewind snapshot (at most ``max_frames``, evenly spaced), for slides."""
        folder = self.choose_export_folder()
        if not folder:
            return 0
        self.training.pause()
        epochs = self.training.snapshot_epochs()
        picks = sorted({epochs[int(i)] for i in
                        np.linspace(0, len(epochs) - 1, min(max_frames, len(epochs)))})
        written = 0
        try:
            for n, epoch in enumerate(picks, start=1):
                self.training.show_epoch(epoch)
                self._show_every_view()
                export.save_png(self.window.grab(), Path(folder) / f"frame_{n:04d}.png")
                written += 1
        except OSError as e:
            self.show_error("Not exported",
                            shown(f"Could not write into {folder}: {_reason(e)}"))
        finally:
            self.doc.lesson.end_live()
        self.status(f"{written} frames written to {shown(str(folder))}")
        return written

    def _show_every_view(self) -> None:
        """Every view at the state shown, before a frame is grabbed: a big network's
        values (computed off the GUI thread) first, then each time-throttled view's
        pending refresh (the Patterns table, the Codes tab, the plots), as
        ``aeviz screenshot`` does; the frames showed the previous snapshot's table
        and, for the digits, every view of the epoch at Export."""
        show_everything(self.window)


BYTES_MARK = "aeviz-bytes:"      # a recent file whose name is not UTF-8: its bytes, %-encoded


def _to_setting(path: str) -> str:
    """A file name the settings (QSettings: Unicode text) keep exactly: a name with
    bytes that are not UTF-8 (surrogate escapes) is stored as its %-encoded bytes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return BYTES_MARK + quote(os.fsencode(path))


def _from_setting(text: str) -> str:
    if text.startswith(BYTES_MARK):
        return os.fsdecode(unquote_to_bytes(text[len(BYTES_MARK):]))
    return text


def recent_files() -> list[str]:
    """The recent files, most recent first, as the names to open."""
    return [_from_setting(p) for p in settings.read(settings.RECENT_FILES)]


def _reason(e: Exception) -> str:
    """Why a write failed, without repeating the file's name (the message has it)."""
    return (e.strerror if isinstance(e, OSError) and e.strerror else str(e)).rstrip(".")
