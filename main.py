#!/usr/bin/env python3
"""Start aeviz from a checkout, setting up its own environment on first run.

    python3 main.py [FILE | COMMAND ...]   the app, or any `aeviz` command
    python3 main.py test [PYTEST ARGS]     the test suite (Qt offscreen)
    python3 main.py setup [--oracle]       only set up .venv (--oracle adds PyTorch
                                           for the gradient-oracle tests)
    python3 main.py bundle [--check]       build the double-click app in dist/aeviz
                                           (--check: it must render like the source)

If numpy, PySide6 and pyqtgraph (and for `test`, pytest and pytest-qt) are not
importable, a virtual environment is created in .venv beside this file, the
project is installed into it with pip, and this script re-runs inside it.  On
Debian/Ubuntu, Qt's system libraries are installed with apt-get when running as
root; otherwise the exact command is printed and the script exits with status 2.
When a display is set (DISPLAY or WAYLAND_DISPLAY) and the app's window is wanted,
the platform plugin Qt will use there (xcb or wayland) is started in a child
process too, so the libraries only a real window needs are checked and installed.
This file uses only the standard library.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
RUNTIME = ("numpy", "PySide6", "pyqtgraph")
TESTING = ("pytest", "pytestqt", "pytest_timeout")
TORCH_PIN = "torch==2.13.0"
# Debian packages Qt needs offscreen (see the README's "Set-up" section).
QT_DEBIAN_PACKAGES = ("libglib2.0-0", "libegl1", "libgl1", "libx11-6", "libdbus-1-3",
                      "libfontconfig1", "libfreetype6", "libxkbcommon0")
# ...and for a real window on an X server.
QT_X11_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
                   "libxcb-render-util0", "libxcb-render0", "libxcb-shape0", "libxcb-util1",
                   "libxcb-xkb1", "libxkbcommon-x11-0")


def say(message: str) -> None:
    print(f"aeviz setup: {message}", file=sys.stderr, flush=True)


def missing(modules: tuple[str, ...]) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def in_our_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def run(cmd: list[str]) -> None:
    say("running " + " ".join(cmd))
    result = subprocess.run(cmd)
    if result.returncode != 0:
        say(f"this step failed (exit {result.returncode}); see the messages above")
        sys.exit(2)


def make_venv(extras: str) -> None:
    """Create .venv (if needed) and install the project with its extras (e.g.
    "test"; "" for the app alone) into it."""
    if not venv_python().exists():
        say(f"creating a virtual environment in {VENV}")
        run([sys.executable, "-m", "venv", str(VENV)])
    say("installing aeviz and its dependencies (first run only; this takes a minute)")
    run([str(venv_python()), "-m", "pip", "install", "--progress-bar", "on",
         "-e", f"{ROOT}[{extras}]" if extras else str(ROOT)])
    # an editable install leaves aeviz uncompiled; with PYTHONDONTWRITEBYTECODE set, every
    # start would compile its ~60 modules again (~70 ms); pip compiles a normal install
    run([str(venv_python()), "-m", "compileall", "-q", str(ROOT / "aeviz")])


REEXEC_MARK = "AEVIZ_REEXEC"     # set when main.py hands over to .venv's Python


def reexec_in_venv(args: list[str], mark: bool = False) -> None:
    if mark:
        os.environ[REEXEC_MARK] = "1"
    python = str(venv_python())
    if os.name == "nt":                       # no exec on Windows: run and pass the code on
        sys.exit(subprocess.call([python, str(ROOT / "main.py"), *args]))
    os.execv(python, [python, str(ROOT / "main.py"), *args])


def qt_import_error() -> str | None:
    """None if QtWidgets imports; else the loader's message (checked in a child
    process, so a failed shared-library load leaves this process clean)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    probe = subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"],
                           capture_output=True, text=True, env=env)
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["?"])[-1]


# --- the window's platform plugin (xcb or wayland) -------------------------------------
# Importing QtWidgets offscreen says nothing about the real window: without
# libxcb-cursor0 and friends the import works and QApplication aborts (exit 134).

QT_WAYLAND_PACKAGES = ("libwayland-client0", "libwayland-cursor0", "libwayland-egl1")
PLATFORM_PACKAGES = {"xcb": QT_X11_PACKAGES, "wayland": QT_WAYLAND_PACKAGES}
PLATFORM_PROBE = "from PySide6.QtWidgets import QApplication; QApplication([])"
PROBE_TIMEOUT = 60                      # seconds; a probe that hangs is a display problem
# commands of main.py and aeviz that never open a window on the display
NO_WINDOW = ("test", "setup", "bundle", "train", "eval", "presets", "screenshot", "bench",
             "study", "sample", "lesson", "-h", "--help", "--version",
             "--install-desktop-entry", "--reset-settings")


def window_platform(environ: dict[str, str], system: str = sys.platform) -> str | None:
    """The platform plugin Qt will use for a window (``"xcb"`` or ``"wayland"``), or
    None when there is no display to probe (no DISPLAY/WAYLAND_DISPLAY, or
    QT_QPA_PLATFORM names another plugin such as offscreen, or macOS/Windows, whose
    plugins come with the wheel: XQuartz's DISPLAY does not make Qt use xcb).

    Qt's own rule: QT_QPA_PLATFORM if set (the first of a ``;`` list), else Wayland in
    a Wayland session, else xcb."""
    if system in ("darwin", "win32", "cygwin"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen if chosen in PLATFORM_PACKAGES else None
    if environ.get("WAYLAND_DISPLAY") and (environ.get("XDG_SESSION_TYPE") == "wayland"
                                           or not environ.get("DISPLAY")):
        return "wayland"
    return "xcb" if environ.get("DISPLAY") else None


def probe_failure(returncode: int, output: str) -> str | None:
    """None if the probe started Qt; else the line of its output that says why (Qt
    names the missing library, e.g. "xcb-cursor0 or libxcb-cursor0 is needed")."""
    if returncode == 0:
        return None
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    # Qt prints the xcb-cursor hint whenever xcb fails, a display it cannot reach too
    for key in ("could not connect to display", "Failed to create wl_display",
                "is needed to load", "cannot open shared object",
                "Could not load the Qt platform plugin"):
        for line in lines:
            if key in line:
                return line
    return lines[-1] if lines else f"exit status {returncode}"


def display_unreachable(error: str) -> bool:
    """Qt loaded its plugin but the display refused it: installing packages cannot help."""
    return any(key in error for key in ("could not connect to display",
                                        "Failed to create wl_display", "did not start within"))


def platform_error(platform: str) -> str | None:
    """Start a QApplication on ``platform`` in a child process (so an abort there
    leaves this process clean); None if it starts."""
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    try:
        probe = subprocess.run([sys.executable, "-c", PLATFORM_PROBE], capture_output=True,
                               text=True, env=env, timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"Qt did not start within {PROBE_TIMEOUT} s on {platform}"
    return probe_failure(probe.returncode, probe.stdout + probe.stderr)


def qt_packages(platform: str | None) -> list[str]:
    """Debian packages Qt needs offscreen, plus those of the window's platform."""
    return list(QT_DEBIAN_PACKAGES) + list(PLATFORM_PACKAGES.get(platform or "", ()))


def install_command(packages: list[str]) -> str:
    return "apt-get update && apt-get install -y --no-install-recommends " + " ".join(packages)


def setup_action(error: str | None, debian: bool, root: bool) -> str:
    """What to do about Qt's system libraries: "ok" (nothing), "install" (apt-get,
    as root on Debian/Ubuntu), "tell" (print the sudo command, exit 2), "unknown"
    (not Debian: name what is missing, exit 2) or "display" (the display itself
    cannot be used: packages cannot help, exit 2)."""
    if error is None:
        return "ok"
    if display_unreachable(error):
        return "display"
    if not debian:
        return "unknown"
    return "install" if root else "tell"


def qt_error(platform: str | None) -> str | None:
    """Why Qt cannot start here: with a display, a QApplication on the window's
    platform (which imports QtWidgets too: one child process, ~0.8 s, not two);
    without, the offscreen import.  When the display itself is unreachable, a
    missing library still comes first (installing it is the first step)."""
    if platform is None:
        return qt_import_error()
    error = platform_error(platform)
    if error is not None and display_unreachable(error):
        error = qt_import_error() or error
    return error


def ensure_qt_system_libraries(platform: str | None) -> None:
    """Make Qt start offscreen and, when ``platform`` is given, on the display."""
    error = qt_error(platform)
    packages = qt_packages(platform)
    command = install_command(packages)
    debian = bool(Path("/etc/debian_version").exists() and shutil.which("apt-get"))
    root = not hasattr(os, "geteuid") or os.geteuid() == 0
    action = setup_action(error, debian, root)
    if action == "ok":
        return
    if action == "display":
        say(f"Qt cannot open a window: {error}\nCheck that the display "
            f"({os.environ.get('WAYLAND_DISPLAY') or os.environ.get('DISPLAY')}) is running "
            "and that you may use it (for X11: xauth, xhost), then run this again.")
        sys.exit(2)
    if action == "unknown":
        say(f"Qt cannot start: {error}\nInstall your system's Qt 6 runtime libraries "
            "(OpenGL, EGL, fontconfig, xkbcommon, glib"
            + (", xcb-cursor and the other xcb libraries" if platform == "xcb" else "")
            + ") and run this again.")
        sys.exit(2)
    if action == "tell":
        say(f"Qt cannot start: {error}\nInstall Qt's system libraries, then run this again:\n"
            f"    sudo sh -c '{command}'")
        sys.exit(2)
    say(f"Qt cannot start ({error}); installing its system libraries with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    wait = ["-o", "DPkg::Lock::Timeout=300"]     # another apt-get may hold the lock
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends",
                                        *wait, *packages]):
        say("running " + " ".join(cmd))
        if subprocess.run(cmd, env=env).returncode != 0:
            say(f"apt-get failed; run this by hand and try again:\n    {command}")
            sys.exit(2)
    still = qt_error(platform)
    if still is not None:
        say(f"Qt still cannot start: {still}")
        sys.exit(2)


def ensure_environment(args: list[str], testing: bool) -> None:
    needed = RUNTIME + (TESTING if testing else ())
    if not missing(needed):
        return
    if not in_our_venv() and venv_python().exists() and not os.environ.get(REEXEC_MARK):
        reexec_in_venv(args, mark=True)         # .venv checks itself (and installs if needed)
    if in_our_venv():
        say("the virtual environment is incomplete; reinstalling into it")
    make_venv("test" if testing else "")        # running the app needs no test tools
    reexec_in_venv(args)


def install_torch() -> None:
    """The optional PyTorch oracle for the gradient tests (never used at run time)."""
    if importlib.util.find_spec("torch") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--progress-bar", "on",
                        TORCH_PIN])


def pytest_args(args: list[str], parallel: bool) -> list[str]:
    """pytest's arguments for ``main.py test ARGS``: with pytest-xdist installed
    (``parallel``), one worker per core (``-n auto``) unless ARGS choose the workers
    themselves (``-n N``, ``--numprocesses``, ``-p no:xdist``)."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist"
                 or a.endswith("no:xdist") for a in args)
    return ["-n", "auto", *args] if parallel and not chosen else list(args)


def main() -> int:
    args = sys.argv[1:]
    command = args[0] if args else ""
    testing = command in ("test", "setup")
    ensure_environment(args, testing)
    needs_qt = command not in ("train", "eval", "presets", "--version", "-h", "--help")
    if needs_qt:
        window = command not in NO_WINDOW        # the app itself (no command, or a FILE)
        ensure_qt_system_libraries(window_platform(dict(os.environ)) if window else None)
    if command == "setup":
        if "--oracle" in args[1:]:
            install_torch()
        say("ready")
        return 0
    if command == "bundle":
        return subprocess.call([sys.executable, "-m", "aeviz.bundle", *args[1:]], cwd=ROOT)
    if command == "test":
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        parallel = importlib.util.find_spec("xdist") is not None
        return subprocess.call([sys.executable, "-m", "pytest", *pytest_args(args[1:], parallel)],
                               cwd=ROOT, env=env)
    sys.path.insert(0, str(ROOT))
    from aeviz.cli import main as cli_main
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
