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
        main_py.ensure_qt_system_libraries(want_window=False)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends " \
           "libglib2.0-0 libegl1" in err


def test_missing_qt_libraries_as_root_installs_them(main_py, monkeypatch):
    errors = iter(["libglib-2.0.so.0: cannot open", None, None])
    monkeypatch.setattr(main_py, "qt_import_error", lambda: next(errors))
    monkeypatch.setattr(main_py.shutil, "which", lambda name: "/usr/bin/apt-get")
    monkeypatch.setattr(main_py.Path, "exists", lambda self: True)
    monkeypatch.setattr(main_py.os, "geteuid", lambda: 0)
    ran = []
    monkeypatch.setattr(main_py.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        subprocess.CompletedProcess(cmd, 0))
    main_py.ensure_qt_system_libraries(want_window=True)
    assert ran[0] == ["apt-get", "update"]
    assert ran[1][:4] == ["apt-get", "install", "-y", "--no-install-recommends"]
    assert "libxcb-cursor0" in ran[1] and "libfontconfig1" in ran[1]


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
