"""Build the double-click app with PyInstaller and check it: ``python3 main.py
bundle [--check]``.

The bundle is a one-folder, windowed app in ``dist/aeviz`` (start
``dist/aeviz/aeviz``).  ``--check`` then renders the default lesson with
``aeviz screenshot`` from inside the bundle and from the source, and fails
unless the two pictures are identical.  Where PyInstaller cannot work (no
shared libpython, no objdump from binutils that root could install with
apt-get), it says so and skips; on a machine that can build, any failure
exits 1, so CI fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYINSTALLER = "pyinstaller==6.22.3"
SPEC = ROOT / "resources" / "packaging" / "aeviz.spec"     # only in a checkout, not a wheel


def missing_requirements() -> str | None:
    """Why PyInstaller cannot build here, or None."""
    if sys.platform.startswith("linux"):
        if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
            return ("this Python has no shared libpython (on Debian install libpython3-dev, "
                    "or use a Python built with --enable-shared)")
        if shutil.which("objdump") is None and not install_binutils():
            return "objdump is missing (on Debian: apt-get install binutils)"
    return None


def install_binutils() -> bool:
    """As root on Debian the missing objdump can be had, so get it (as main.py gets
    Qt's libraries) rather than skip: a machine that could build the bundle must
    build it, and CI then fails if the build fails.  False if not possible here."""
    if not (Path("/etc/debian_version").exists() and shutil.which("apt-get")
            and hasattr(os, "geteuid") and os.geteuid() == 0):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"],
                ["apt-get", "install", "-y", "--no-install-recommends", "binutils"]):
        print("aeviz bundle: running " + " ".join(cmd))
        if subprocess.run(cmd, env=env).returncode != 0:
            raise SystemExit("aeviz bundle: error: could not install binutils (objdump), "
                             "which the build needs")
    return shutil.which("objdump") is not None


def build(dist: Path) -> Path:
    if subprocess.run([sys.executable, "-c", "import PyInstaller"],
                      capture_output=True).returncode != 0:
        subprocess.run([sys.executable, "-m", "pip", "install", PYINSTALLER], check=True)
    work = Path(tempfile.mkdtemp(prefix="aeviz-build-"))
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(SPEC)], check=True, cwd=ROOT)
    shutil.rmtree(work, ignore_errors=True)
    app = dist / "aeviz" / ("aeviz.exe" if os.name == "nt" else "aeviz")
    if not app.exists():
        raise SystemExit(f"aeviz bundle: the build did not produce {app}")
    return app


def same_picture(a: Path, b: Path) -> bool:
    from PySide6.QtGui import QImage
    return QImage(str(a)) == QImage(str(b)) and not QImage(str(a)).isNull()


def check(app: Path) -> bool:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="aeviz-cfg-"))   # same first-run state
    out = Path(tempfile.mkdtemp(prefix="aeviz-shots-"))
    subprocess.run([str(app), "screenshot", str(out / "bundle.png")], env=env, check=True,
                   timeout=120)
    subprocess.run([sys.executable, "-m", "aeviz", "screenshot", str(out / "source.png")],
                   env=env, check=True, cwd=ROOT, timeout=120)
    return same_picture(out / "bundle.png", out / "source.png")


def main(argv: list[str]) -> int:
    if not SPEC.exists():
        print("aeviz bundle: error: building the app needs a checkout of the aeviz source "
              "(git clone, then `python3 main.py bundle`); this aeviz was installed from a "
              "wheel, which does not carry the build files", file=sys.stderr)
        return 2
    reason = missing_requirements()
    if reason:
        print(f"aeviz bundle: skipped: {reason}")
        return 0
    try:
        app = build(ROOT / "dist")
        print(f"aeviz bundle: built {app}")
        if "--check" in argv:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            if not check(app):
                print("aeviz bundle: the bundle's screenshot differs from the source run's",
                      file=sys.stderr)
                return 1
            print("aeviz bundle: the bundle starts and renders the same picture as the source")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        # this machine has what the build needs, so a failure is a failure (CI fails)
        print(f"aeviz bundle: error: the build failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
