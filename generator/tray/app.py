"""The tray application: the icon and its menu, a recorder in this process, guides and the site made on
background jobs. A timer on the GUI thread polls the recorder (stop or pause hotkeys) and the jobs; nothing
else crosses threads. Every failure is shown, logged to ``LIB/.vsop-cache/tray.log``, and the tray goes on."""

from __future__ import annotations

import functools
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from capture.exclusion import Exclusion
from capture.keys import Hotkeys
from capture.recorder import Recorder
from generator.edit import EditorServer, start_editor
from generator.library.layout import GUIDE_FILE
from generator.tray import dialogs, tasks
from generator.tray.icons import state_icon
from generator.tray.jobs import Job
from generator.tray.live import LiveSteps
from generator.tray.menu import TrayMenu
from generator.tray.state import Action, State, Status, Stopwatch, after, menu, tooltip
from generator.tray.watch import WindowWatch

TICK_MS = 250


def guarded(method: Callable[..., None]) -> Callable[..., None]:
    """A menu handler whose failure is shown to the person instead of escaping into Qt."""

    @functools.wraps(method)
    def run(self: TrayApp, *args: Any) -> None:
        try:
            method(self, *args)
        except Exception as exc:
            self.fail(f"{method.__name__.replace('_', ' ').capitalize()} failed", exc)

    return run


class TrayApp(QObject):
    def __init__(self, app: QApplication, library: Path, hotkeys: Hotkeys) -> None:
        super().__init__()
        self.app, self.library, self.hotkeys = app, library, hotkeys
        self.state: State = "idle"
        self.exclusion = Exclusion()
        self.watch = WindowWatch(self.exclusion)
        app.installEventFilter(self.watch)
        self.recorder: Recorder | None = None
        self.live: LiveSteps | None = None
        self.stopwatch = Stopwatch()
        self.title: str | None = None
        self.job: Job[Path] | None = None
        self.job_done: Callable[[Path], None] = lambda path: None
        self.job_failed: Callable[[Exception], None] = lambda exc: None
        self.windows: list[QMessageBox] = []  # open error windows, kept alive
        self.guide: Path | None = None  # the last guide made from the tray: Review guide opens it
        self.editors: list[EditorServer] = []
        handlers = {
            "start": self.start_recording,
            "pause": self.pause_or_resume,
            "stop": self.stop_and_create_guide,
            "note": self.add_note,
            "review": self.review_guide,
            "site": self.open_sop_site,
            "folder": self.open_library_folder,
            "quit": self.quit,
        }
        self.menu = TrayMenu(handlers)
        self.icon = QSystemTrayIcon(state_icon("idle"))
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.shown: tuple[State, bool] | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)

    def run(self) -> int:
        self.icon.show()
        self.refresh()
        self.timer.start(TICK_MS)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: QTimer.singleShot(0, self.quit))
        print(f"vsop tray: library {self.library}", flush=True)
        return self.app.exec()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:  # a left click shows the menu too
            self.menu.popup(QCursor.pos())

    # -- the menu ------------------------------------------------------------------------------------------

    @guarded
    def start_recording(self) -> None:
        from generator.valuestream.store import load_valuestream

        tasks.prepare_library(self.library)
        request = dialogs.ask_start(load_valuestream(self.library))
        if request is None or self.state != "idle":
            return
        self.recorder = tasks.start_recording(self.library, request, self.exclusion, self.hotkeys)
        self.live = LiveSteps(self.recorder.options.out)
        self.title = request.title
        self.stopwatch = Stopwatch()
        self.stopwatch.run(time.monotonic())
        self.go("start")
        tasks.log(self.library, f"recording {self.recorder.options.out} (stage {request.stage or 'auto'})")

    @guarded
    def pause_or_resume(self) -> None:
        if self.recorder is not None:
            self.recorder.toggle_pause()  # the state follows in tick(), as for the pause hotkey

    @guarded
    def add_note(self) -> None:
        text = dialogs.ask_note()
        if text and self.recorder is not None and self.state in ("recording", "paused"):
            self.recorder.note(text)

    @guarded
    def stop_and_create_guide(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        recorder.stop()
        self.recorder = None
        self.stopwatch.hold(time.monotonic())
        folder = recorder.options.out
        self.go("stop")
        started = time.monotonic()

        def made(guide: Path) -> None:
            seconds = time.monotonic() - started
            tasks.log(self.library, f"guide {guide} made from {folder} in {seconds:.1f} s")
            self.guide = guide
            info = QSystemTrayIcon.MessageIcon.Information
            self.icon.showMessage("vsop", f"Guide ready: {guide.name} (Review guide... to edit it)", info)

        def failed(exc: Exception) -> None:
            self.fail("The guide could not be made; the recording is kept", exc, kept=folder)

        def work(report: Any) -> Path:
            return tasks.make_guide(recorder, self.library, report)

        self.background("guide", work, made, failed)

    @guarded
    def review_guide(self) -> None:
        """The editor of the last guide made, in the browser (vsop edit)."""
        if self.guide is not None:
            editor = start_editor(self.guide / GUIDE_FILE, open_browser=False)
            self.editors.append(editor)
            self._open(QUrl(editor.url))

    @guarded
    def open_sop_site(self) -> None:
        tasks.prepare_library(self.library)
        self.title = None
        self.go("build")

        def failed(exc: Exception) -> None:
            self.fail("The SOP site could not be built", exc)

        self.background("site", lambda report: tasks.build(self.library, report), self._open_url, failed)

    @guarded
    def open_library_folder(self) -> None:
        tasks.prepare_library(self.library)
        self._open_url(self.library.resolve())

    def _open_url(self, path: Path) -> None:
        self._open(QUrl.fromLocalFile(str(path)))

    def _open(self, url: QUrl) -> None:
        """``url`` in the desktop's own application for it (the browser the person chose)."""
        if not QDesktopServices.openUrl(url):
            raise OSError(f"nothing opens {url.toString()} (on Linux: install xdg-utils and a browser)")

    def quit(self) -> None:
        """Stop a recording (kept, no guide is made), wait for a guide being made, leave."""
        if self.recorder is not None:
            recorder, self.recorder = self.recorder, None
            try:
                recorder.close()
            finally:
                tasks.log(self.library, f"quit while recording: {recorder.options.out} kept, no guide made")
        if self.job is not None:
            self.job.join()
        for editor in self.editors:
            editor.close()
        self.icon.hide()
        self.app.quit()

    # -- state, background work, failures -------------------------------------------------------------------

    def go(self, action: Action) -> None:
        self.state = after(self.state, action)
        self.refresh()

    def background(
        self,
        name: str,
        work: Callable[[Any], Path],
        done: Callable[[Path], None],
        failed: Callable[[Exception], None],
    ) -> None:
        self.job = Job(name, work).start()
        self.job_done, self.job_failed = done, failed

    def tick(self) -> None:
        try:
            self._tick()
        except Exception as exc:
            self.fail("The tray hit a problem", exc)

    def _tick(self) -> None:
        self.watch.icon(self.icon, self.app.devicePixelRatio())
        self.watch.settle()
        recorder = self.recorder
        if recorder is not None and recorder.wait(0):  # the stop hotkey, or the recorder failed
            self.stop_and_create_guide()
        elif recorder is not None and recorder.paused != (self.state == "paused"):
            now = time.monotonic()
            self.stopwatch.hold(now) if recorder.paused else self.stopwatch.run(now)
            self.go("pause" if recorder.paused else "resume")
        job = self.job
        if job is not None and job.done:
            self.job = None
            self.go("done")
            try:
                result = job.result()
            except Exception as exc:
                self.job_failed(exc)
            else:
                self.job_done(result)
        self.refresh()

    def refresh(self) -> None:
        shown = (self.state, self.guide is not None)
        if self.shown != shown:
            self.icon.setIcon(state_icon(self.state))
            self.menu.update_for(menu(*shown))
            self.shown = shown
        steps = self.live.count() if self.live is not None and self.state != "idle" else 0
        progress = self.job.progress if self.job is not None else None
        status = Status(self.state, self.stopwatch.elapsed(time.monotonic()), steps, progress, self.title)
        self.icon.setToolTip(tooltip(status))

    def fail(self, headline: str, exc: BaseException, kept: Path | None = None) -> None:
        """Show the failure in a window and as a tray message, and append it to the tray's log."""
        details = str(exc) or type(exc).__name__
        if kept is not None:
            details += (
                f"\n\nThe recording is kept in {kept}. Make the guide again with:\n"
                f"vsop generate {kept} --library {self.library}"
            )
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        where = tasks.log(self.library, f"error: {headline}: {details}\n{trace}")
        if where is not None:
            details += f"\n\nLogged in {where}"
        self.windows = [w for w in self.windows if w.isVisible()]
        self.windows.append(dialogs.error_box(headline, details))
        self.icon.showMessage("vsop", headline, QSystemTrayIcon.MessageIcon.Critical)
        print(f"vsop tray: error: {headline}: {exc}", file=sys.stderr, flush=True)


def run(library: Path, hotkeys: Hotkeys | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("vsop")
    app.setQuitOnLastWindowClosed(False)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        print("vsop tray: no system tray yet; the icon appears when one starts", file=sys.stderr, flush=True)
    return TrayApp(app, library, hotkeys or Hotkeys.parse()).run()
