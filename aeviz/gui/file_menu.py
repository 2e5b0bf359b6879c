"""File handling for the main window: New, Open, Save, Save As, recent files,
and the unsaved-changes prompt.  A mixin so that tests can replace the dialogs
(``ask_unsaved``, ``choose_open_path``, ``choose_save_path``, ``show_error``)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from aeviz.core.fileformat import FileFormatError
from aeviz.core.model import default_model
from aeviz.core.presets import load_preset
from aeviz.gui import autosave, settings

FILE_FILTER = "aeviz lessons (*.aeviz);;All files (*)"


class FileMixin:
    """Needs ``self.doc`` (Document), ``self.recent_menu`` and ``self._action``."""

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel' (tests replace this)."""
        answer = QMessageBox.question(
            self, "Unsaved changes",
            f"“{self.doc.model.name}” has changes that are not saved. Save them first?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(answer, "cancel")

    def choose_open_path(self) -> str:
        return QFileDialog.getOpenFileName(self, "Open a lesson", "", FILE_FILTER)[0]

    def choose_save_path(self) -> str:
        start = str(self.doc.path or Path.home() / f"{self.doc.model.name}.aeviz")
        path = QFileDialog.getSaveFileName(self, "Save the lesson", start, FILE_FILTER)[0]
        if path and not path.endswith(".aeviz"):
            path += ".aeviz"
        return path

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    def may_discard(self) -> bool:
        """True if the current lesson may be replaced (saved first if asked)."""
        if not self.doc.modified:
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_file(self) -> None:
        if self.may_discard():
            self.doc.replace(default_model(), None)

    def open_dialog(self) -> None:
        if self.may_discard():
            path = self.choose_open_path()
            if path:
                self.open_path(path, ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        if ask and not self.may_discard():
            return False
        try:
            self.doc.open(Path(path))
        except FileFormatError as e:
            self.show_error("Cannot open the file", f"{Path(path).name}: {e}")
            return False
        self._remember_recent(Path(path))
        return True

    def open_preset(self, name: str) -> None:
        if self.may_discard():
            self.doc.replace(load_preset(name), None)
            settings.write(settings.LAST_LESSON, name)
            self._mark_last_lesson()

    def _mark_last_lesson(self) -> None:
        """The Lessons menu ticks the lesson opened last (kept across sessions)."""
        last = settings.read(settings.LAST_LESSON)
        for name, action in self.lesson_actions.items():
            action.setChecked(name == last)

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as_dialog()
        return self.save_to(self.doc.path)

    def save_as_dialog(self) -> bool:
        path = self.choose_save_path()
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            self.doc.save_as(path)
        except (OSError, ValueError) as e:
            reason = getattr(e, "strerror", None) or str(e)
            self.show_error("Not saved", f"Could not save to {path}: {reason}. "
                                         "The file on disk was left as it was.")
            return False
        self._remember_recent(path)
        self.statusBar().showMessage(f"Saved to {path}", 5000)
        return True

    def _remember_recent(self, path: Path) -> None:
        recent = [p for p in settings.read(settings.RECENT_FILES) if p != str(path)]
        settings.write(settings.RECENT_FILES, [str(path)] + recent[:settings.MAX_RECENT - 1])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for p in settings.read(settings.RECENT_FILES):
            self.recent_menu.addAction(self._action(p, lambda p=p: self.open_path(p)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # --- crash recovery ------------------------------------------------------------------
    def ask_restore(self, when: float) -> bool:
        """Tests replace this."""
        stamp = time.strftime("%H:%M on %d %b", time.localtime(when))
        return QMessageBox.question(
            self, "Restore unsaved work?",
            f"aeviz did not close normally last time. Restore the unsaved work "
            f"autosaved at {stamp}?") == QMessageBox.Yes

    def offer_recovery(self) -> bool:
        """If a crashed session left an autosave, offer it; True if restored."""
        for path in autosave.left_behind():
            found = autosave.recover(path)
            if found is None:
                continue
            model, original, when = found
            restore = self.ask_restore(when)
            autosave.forget(path)
            if restore:
                self.doc.replace(model, original)
                self.doc.lesson.mark_unsaved()        # restored work is not saved yet
                self.statusBar().showMessage("Restored the autosaved work", 10_000)
                return True
        return False

    # --- export --------------------------------------------------------------------------
    def _make_export_menu(self, parent) -> None:
        from aeviz.gui import export
        menu = parent.addMenu("&Export")
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
            menu.addAction(self._action(title, lambda title=title, ext=ext, write=write:
                                        self.export_to(title, ext, write)))
        menu.addAction(self._action("Training run as PNG sequence…", self.export_frames))
        menu.addSeparator()
        copy = self._action("Copy diagram to clipboard",
                            lambda: export.copy_picture(self.diagram.viewport()), "Ctrl+Shift+C")
        menu.addAction(copy)
        self.export_menu = menu

    def choose_export_path(self, title: str, ext: str) -> str:
        """Tests replace this."""
        start = str(Path.home() / f"{self.doc.model.name}.{ext}")
        path = QFileDialog.getSaveFileName(self, title.rstrip("…"), start,
                                           f"{ext.upper()} (*.{ext})")[0]
        if path and not path.lower().endswith(f".{ext}"):
            path += f".{ext}"
        return path

    def export_to(self, title: str, ext: str, write) -> bool:
        path = self.choose_export_path(title, ext)
        if not path:
            return False
        try:
            write(path)
        except (OSError, ValueError) as e:
            self.show_error("Not exported", f"Could not write {path}: {e}")
            return False
        self.statusBar().showMessage(f"Exported to {path}", 5000)
        return True

    def _export_history(self, path: str) -> None:
        from aeviz.gui.export import history_csv
        self.controller.pause()
        history_csv(self.doc.lesson, path)

    def choose_export_folder(self) -> str:
        """Tests replace this."""
        from PySide6.QtWidgets import QFileDialog
        return QFileDialog.getExistingDirectory(self, "Folder for the frames", str(Path.home()))

    def export_frames(self, max_frames: int = 60) -> int:
        """The run so far as numbered PNGs of the window (frame_0001.png, ...), one per
        rewind snapshot (at most ``max_frames``, evenly spaced), for slides."""
        folder = self.choose_export_folder()
        if not folder:
            return 0
        self.controller.pause()
        epochs = self.controller.snapshot_epochs()
        picks = sorted({epochs[int(i)] for i in
                        np.linspace(0, len(epochs) - 1, min(max_frames, len(epochs)))})
        latest = epochs[-1]
        written = 0
        try:
            for n, epoch in enumerate(picks, start=1):
                self.controller.show_epoch(epoch)
                self.loss_plot.throttled.flush()
                self.code_space.throttled.flush()
                QApplication.processEvents()
                if not self.grab().save(str(Path(folder) / f"frame_{n:04d}.png"), "PNG"):
                    raise OSError(f"could not write into {folder}")
                written += 1
        except OSError as e:
            self.show_error("Not exported", str(e))
        finally:
            self.controller.show_epoch(latest)
        self.statusBar().showMessage(f"{written} frames written to {folder}", 5000)
        return written
