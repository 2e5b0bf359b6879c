"""Packaging hygiene (#12): an SPDX licence string, a gui-scripts entry, the app
alone installs no test tools, and `bundle` from an installed wheel says it needs
a checkout.  The wheel is really built (pip, no network: build deps come from
the configured indexes)."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
tomllib = pytest.importorskip("tomllib")             # Python 3.11+


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_licence_is_an_spdx_string_with_a_backend_that_reads_it():
    data = project()
    assert data["project"]["license"] == "MIT"
    assert data["project"]["license-files"] == ["LICENSE"]
    assert "setuptools>=77" in data["build-system"]["requires"]


def test_gui_script_entry_starts_the_same_command_line():
    target = project()["project"]["gui-scripts"]["aeviz-app"]
    module, func = target.split(":")
    assert callable(getattr(importlib.import_module(module), func))


def test_running_the_app_installs_only_what_the_app_needs(main_py, monkeypatch):
    monkeypatch.setattr(main_py, "missing", lambda modules: ["PySide6"])
    monkeypatch.setattr(main_py, "venv_python", lambda: Path(sys.executable))
    ran = []
    monkeypatch.setattr(main_py, "run", ran.append)
    monkeypatch.setattr(main_py, "reexec_in_venv", lambda args, **kw: None)   # any checkout
    main_py.ensure_environment(["lesson.aeviz"], testing=False)
    pip = [cmd for cmd in ran if "pip" in cmd]
    assert pip[-1][-2:] == ["-e", str(main_py.ROOT)]            # no [test] extra
    assert ran[-1][-3:] == ["compileall", "-q", str(main_py.ROOT / "aeviz")]
    ran.clear()
    main_py.ensure_environment(["test"], testing=True)
    pip = [cmd for cmd in ran if "pip" in cmd]
    assert pip[-1][-2:] == ["-e", f"{main_py.ROOT}[test]"]


def _build_leftovers() -> set[str]:
    """What a setuptools build writes into the tree it builds (build/, *.egg-info)."""
    return {p.name for p in ROOT.iterdir() if p.name == "build" or p.name.endswith(".egg-info")}


BEFORE_BUILD: set[str] = set()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a temporary copy of the project: setuptools writes
    build/ and *.egg-info into the tree it builds, and the checkout stays as it is."""
    BEFORE_BUILD.update(_build_leftovers())
    out = tmp_path_factory.mktemp("wheel")
    copy = tmp_path_factory.mktemp("source") / "aeviz"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "tests", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
        ".pytest_cache", "screenshots", "benchmarks"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(out), str(copy)], capture_output=True, text=True,
                           timeout=600)
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-200:]}")
    return next(out.glob("aeviz-*.whl"))


def test_building_the_wheel_leaves_nothing_in_the_checkout(wheel):
    """Issue 22 item 20: `pip wheel` on the checkout itself left build/ in it."""
    assert _build_leftovers() <= BEFORE_BUILD
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    assert "aeviz/cli.py" in names and "aeviz/resources/presets/01-article-example.aeviz" in names


def test_the_wheel_declares_the_licence_and_the_gui_script(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entries = z.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "License-Expression: MIT" in meta
    assert "[gui_scripts]" in entries and "aeviz-app = aeviz.cli:gui_main" in entries


def test_bundle_from_an_installed_wheel_says_it_needs_a_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run([sys.executable, "-m", "aeviz.bundle"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "needs a checkout" in out.stderr and len(out.stderr.splitlines()) == 1


def test_bundle_installs_objdump_as_root_on_debian_instead_of_skipping(monkeypatch):
    from aeviz import bundle
    found = iter([None, "/usr/bin/objdump"])
    monkeypatch.setattr(bundle.shutil, "which",
                        lambda name: next(found) if name == "objdump" else f"/usr/bin/{name}")
    monkeypatch.setattr(bundle.sysconfig, "get_config_var", lambda name: 1)
    monkeypatch.setattr(bundle.sys, "platform", "linux")
    monkeypatch.setattr(bundle.Path, "exists", lambda self: True)
    monkeypatch.setattr(bundle.os, "geteuid", lambda: 0, raising=False)
    ran = []
    monkeypatch.setattr(bundle.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        subprocess.CompletedProcess(cmd, 0))
    assert bundle.missing_requirements() is None
    assert ran[-1][-1] == "binutils"


def test_bundle_fails_when_objdump_cannot_be_installed_where_it_could(monkeypatch):
    from aeviz import bundle
    monkeypatch.setattr(bundle.shutil, "which",
                        lambda name: None if name == "objdump" else f"/usr/bin/{name}")
    monkeypatch.setattr(bundle.sysconfig, "get_config_var", lambda name: 1)
    monkeypatch.setattr(bundle.sys, "platform", "linux")
    monkeypatch.setattr(bundle.Path, "exists", lambda self: True)
    monkeypatch.setattr(bundle.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(bundle.subprocess, "run", lambda cmd, **kw:
                        subprocess.CompletedProcess(cmd, 100))
    with pytest.raises(SystemExit) as info:
        bundle.main(["--check"])
    assert "could not install binutils" in str(info.value.code)


def test_bundle_skips_only_where_it_cannot_build(monkeypatch, capsys):
    from aeviz import bundle
    monkeypatch.setattr(bundle.shutil, "which",
                        lambda name: None if name == "objdump" else f"/usr/bin/{name}")
    monkeypatch.setattr(bundle.sysconfig, "get_config_var", lambda name: 1)
    monkeypatch.setattr(bundle.sys, "platform", "linux")
    monkeypatch.setattr(bundle.os, "geteuid", lambda: 1000, raising=False)
    assert bundle.main(["--check"]) == 0
    assert "skipped: objdump is missing" in capsys.readouterr().out


def test_an_existing_venv_is_used_without_reinstalling(main_py, monkeypatch):
    """`python3 main.py test` from the system Python hands over to .venv at once
    (it used to run pip install every time, since the system Python lacks the tools)."""
    monkeypatch.setattr(main_py, "missing", lambda modules: ["PySide6"])
    monkeypatch.setattr(main_py, "in_our_venv", lambda: False)
    monkeypatch.setattr(main_py, "venv_python", lambda: Path(sys.executable))
    monkeypatch.delenv(main_py.REEXEC_MARK, raising=False)
    ran, handed = [], []
    monkeypatch.setattr(main_py, "run", ran.append)

    def reexec(args, mark=False):
        handed.append((args, mark))
        raise SystemExit(0)                      # exec never returns
    monkeypatch.setattr(main_py, "reexec_in_venv", reexec)
    with pytest.raises(SystemExit):
        main_py.ensure_environment(["test"], testing=True)
    assert handed == [(["test"], True)] and ran == []


def test_the_wheel_ships_the_handwritten_digits_with_their_attribution(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        readme = z.read("aeviz/resources/data/README.md").decode()
    assert "aeviz/resources/data/digits-8x8.csv.gz" in names
    assert "CC BY 4.0" in readme and "Alpaydin" in readme
