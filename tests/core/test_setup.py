"""main.py sets up its own environment: decisions checked with the system calls
replaced (a real fresh-machine run is what CI does)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_missing_qt_libraries_without_root_prints_the_command(main_py, monkeypatch, capsys):
    monkeypatch.setattr(main_py, "qt_import_error", lambda: "libEGL.so.1: cannot open")
    monkeypatch.setattr(main_py.shutil, "which", lambda name: "/usr/bin/apt-get")
    monkeypatch.setattr(main_py.Path, "exists", lambda self: True)
    monkeypatch.setattr(main_py.os, "geteuid", lambda: 1000)
    with pytest.raises(SystemExit) as info:
        main_py.ensure_qt_system_libraries(None)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends " \
           "libglib2.0-0 libegl1" in err


def test_missing_qt_libraries_as_root_installs_them(main_py, monkeypatch):
    errors = iter(["libglib-2.0.so.0: cannot open", None, None])
    monkeypatch.setattr(main_py, "qt_import_error", lambda: pytest.fail("probed twice"))
    monkeypatch.setattr(main_py, "platform_error", lambda platform: next(errors))
    monkeypatch.setattr(main_py.shutil, "which", lambda name: "/usr/bin/apt-get")
    monkeypatch.setattr(main_py.Path, "exists", lambda self: True)
    monkeypatch.setattr(main_py.os, "geteuid", lambda: 0)
    ran = []
    monkeypatch.setattr(main_py.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        subprocess.CompletedProcess(cmd, 0))
    main_py.ensure_qt_system_libraries("xcb")
    assert ran[0] == ["apt-get", "update"]
    assert ran[1][:4] == ["apt-get", "install", "-y", "--no-install-recommends"]
    assert "libxcb-cursor0" in ran[1] and "libfontconfig1" in ran[1]


XCB_CURSOR = ("qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load "
              "the Qt xcb platform plugin.\nqt.qpa.plugin: Could not load the Qt platform "
              "plugin \"xcb\" in \"\" even though it was found.\nThis application failed to "
              "start because no Qt platform plugin could be initialized.\nAborted")


def test_the_window_platform_is_the_one_qt_will_use(main_py):
    wp = main_py.window_platform
    assert wp({}) is None                                       # no display: offscreen only
    assert wp({"DISPLAY": ":0"}) == "xcb"
    assert wp({"WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    assert wp({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}) == "xcb"
    assert wp({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"}) \
        == "wayland"
    assert wp({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is None
    assert wp({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}) == "wayland"
    assert wp({"QT_QPA_PLATFORM": "xcb:some-option", "DISPLAY": ":0"}) == "xcb"
    assert wp({"DISPLAY": ":0"}, system="darwin") is None         # XQuartz: Qt uses cocoa
    assert wp({"DISPLAY": ":0"}, system="win32") is None
    assert wp({"DISPLAY": ":0"}, system="linux") == "xcb"


def test_a_probe_names_the_missing_library(main_py):
    assert main_py.probe_failure(0, "anything") is None
    said = main_py.probe_failure(-6, XCB_CURSOR)
    assert "xcb-cursor0 or libxcb-cursor0 is needed" in said
    assert main_py.probe_failure(1, "") == "exit status 1"
    unreachable = main_py.probe_failure(-6, "qt.qpa.xcb: could not connect to display :9\n"
                                        + XCB_CURSOR)     # Qt adds the hint here too
    assert main_py.display_unreachable(unreachable)
    assert unreachable == "qt.qpa.xcb: could not connect to display :9"
    assert not main_py.display_unreachable(said)


def test_the_setup_decision(main_py):
    act = main_py.setup_action
    assert act(None, debian=True, root=True) == "ok"
    assert act("libxcb-cursor0 is needed", debian=True, root=True) == "install"
    assert act("libxcb-cursor0 is needed", debian=True, root=False) == "tell"
    assert act("libxcb-cursor0 is needed", debian=False, root=True) == "unknown"
    assert act("qt.qpa.xcb: could not connect to display :9", debian=True, root=True) \
        == "display"
    assert set(main_py.QT_X11_PACKAGES) <= set(main_py.qt_packages("xcb"))
    assert set(main_py.QT_WAYLAND_PACKAGES) <= set(main_py.qt_packages("wayland"))
    assert not set(main_py.QT_X11_PACKAGES) & set(main_py.qt_packages(None))


def _offscreen_fine_window_not(main_py, monkeypatch, root):
    monkeypatch.setattr(main_py, "qt_import_error", lambda: None)
    monkeypatch.setattr(main_py.shutil, "which", lambda name: "/usr/bin/apt-get")
    monkeypatch.setattr(main_py.Path, "exists", lambda self: True)
    monkeypatch.setattr(main_py.os, "geteuid", lambda: 0 if root else 1000)


def test_a_display_without_x11_libraries_is_caught_although_offscreen_works(
        main_py, monkeypatch, capsys):
    """Issue 22 item 1: only the offscreen import was probed, so the xcb plugin aborted."""
    _offscreen_fine_window_not(main_py, monkeypatch, root=False)
    probed = []
    monkeypatch.setattr(main_py.subprocess, "run", lambda cmd, **kw: probed.append(kw["env"])
                        or subprocess.CompletedProcess(cmd, -6, "", XCB_CURSOR))
    with pytest.raises(SystemExit) as info:
        main_py.ensure_qt_system_libraries("xcb")
    assert info.value.code == 2
    assert probed[0]["QT_QPA_PLATFORM"] == "xcb"
    err = capsys.readouterr().err
    assert "xcb-cursor0 or libxcb-cursor0 is needed" in err
    assert "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends " in err
    assert "libxcb-cursor0 libxcb-icccm4" in err


def test_a_display_without_x11_libraries_as_root_installs_them(main_py, monkeypatch):
    _offscreen_fine_window_not(main_py, monkeypatch, root=True)
    ran, installed = [], []

    def run(cmd, **kw):
        ran.append(cmd)
        if cmd[0] == "apt-get":
            installed.append(cmd)
            return subprocess.CompletedProcess(cmd, 0)
        return subprocess.CompletedProcess(cmd, 0 if installed else -6, "", XCB_CURSOR)
    monkeypatch.setattr(main_py.subprocess, "run", run)
    main_py.ensure_qt_system_libraries("xcb")
    assert [c[:2] for c in installed] == [["apt-get", "update"], ["apt-get", "install"]]
    assert set(main_py.QT_X11_PACKAGES) <= set(installed[1])
    assert ran[-1][0] != "apt-get"                      # probed again after installing


def test_offscreen_only_without_a_display(main_py, monkeypatch):
    _offscreen_fine_window_not(main_py, monkeypatch, root=True)
    monkeypatch.setattr(main_py, "platform_error", lambda platform: pytest.fail("no display"))
    main_py.ensure_qt_system_libraries(None)


def test_an_unreachable_display_installs_nothing(main_py, monkeypatch, capsys):
    _offscreen_fine_window_not(main_py, monkeypatch, root=True)
    ran = []
    monkeypatch.setattr(main_py.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        subprocess.CompletedProcess(cmd, -6, "", "qt.qpa.xcb: could not "
                                                    "connect to display :9"))
    with pytest.raises(SystemExit) as info:
        main_py.ensure_qt_system_libraries("xcb")
    assert info.value.code == 2
    assert all(cmd[0] != "apt-get" for cmd in ran)
    assert "could not connect to display" in capsys.readouterr().err


def test_command_line_tools_do_not_probe_the_display(main_py, monkeypatch):
    monkeypatch.setattr(main_py, "ensure_environment", lambda args, testing: None)
    seen = []
    monkeypatch.setattr(main_py, "ensure_qt_system_libraries", seen.append)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(main_py.sys, "argv", ["main.py", "setup"])
    main_py.main()
    assert seen == [None]


def test_missing_python_packages_make_a_venv_and_rerun(main_py, monkeypatch):
    monkeypatch.setattr(main_py, "missing", lambda modules: ["PySide6"])
    calls = []
    monkeypatch.setattr(main_py, "make_venv", lambda extras: calls.append(("venv", extras)))
    monkeypatch.setattr(main_py, "reexec_in_venv", lambda args: calls.append(("rerun", args)))
    main_py.ensure_environment(["test", "-q"], testing=True)
    assert calls == [("venv", "test"), ("rerun", ["test", "-q"])]


def test_nothing_to_do_when_everything_imports(main_py, monkeypatch):
    monkeypatch.setattr(main_py, "missing", lambda modules: [])
    monkeypatch.setattr(main_py, "make_venv", lambda extras: pytest.fail("no venv needed"))
    main_py.ensure_environment([], testing=False)


def test_main_py_imports_only_the_standard_library_at_top_level():
    import ast
    import sys
    tree = ast.parse((ROOT / "main.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top == "__future__" or top in sys.stdlib_module_names, name


def test_every_package_of_aeviz_is_installed():
    """`pip install .` installs only the packages pyproject.toml lists: a new
    subpackage that is not listed works from the checkout and breaks installs."""
    tomllib = pytest.importorskip("tomllib")            # Python 3.11+
    root = Path(__file__).resolve().parents[2]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "aeviz").rglob("__init__.py")}
    assert found <= listed, found - listed


def test_the_test_command_runs_one_worker_per_core_with_xdist(main_py):
    assert main_py.pytest_args(["-q"], parallel=True) == ["-n", "auto", "-q"]
    assert main_py.pytest_args(["-q"], parallel=False) == ["-q"]       # no xdist: serial
    for chosen in (["-n", "0"], ["-n2"], ["--numprocesses=1"], ["-p", "no:xdist"]):
        assert main_py.pytest_args(chosen, parallel=True) == chosen
