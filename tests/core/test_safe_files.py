"""Saving keeps what the user set up around a file (mode, owner, links) and never
replaces something that is not a regular file; reading refuses FIFOs, devices and
files above the size limit without hanging (#12 items 3, 8, 9, 20)."""

from __future__ import annotations

import os
import stat

import pytest

from aeviz.core.files import fileformat as ff
from aeviz.core.model import default_model

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and FIFOs")


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600, 0o640])
def test_save_keeps_the_files_mode(tmp_path, mode):
    path = tmp_path / "shared.aeviz"
    ff.save(default_model(), path)
    os.chmod(path, mode)
    ff.save(default_model(), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


@posix_only
def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        ff.save(default_model(), tmp_path / "new.aeviz")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.aeviz").st_mode) == 0o644


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can give a file to another user")
def test_save_as_root_keeps_the_owner(tmp_path):
    path = tmp_path / "student.aeviz"
    ff.save(default_model(), path)
    os.chown(path, 4321, 4322)
    ff.save(default_model(), path)
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (4321, 4322)


@posix_only
def test_save_writes_through_a_symlink(tmp_path):
    real = tmp_path / "course" / "lesson.aeviz"
    real.parent.mkdir()
    ff.save(default_model(), real)
    link = tmp_path / "link.aeviz"
    link.symlink_to(real)
    model = default_model()
    model.name = "through the link"
    ff.save(model, link)
    assert link.is_symlink()
    assert ff.load(real).name == "through the link"


@posix_only
def test_save_refuses_a_fifo_and_leaves_it(tmp_path):
    fifo = tmp_path / "pipe.aeviz"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="named pipe"):
        ff.save(default_model(), fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe.aeviz"]


@posix_only
def test_save_refuses_a_device(tmp_path):
    # A private copy of /dev/null: a broken save must never replace the real one.
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError) as e:
        pytest.skip("creating a device node needs root (or CAP_MKNOD): "
                    f"{getattr(e, 'strerror', None) or e}")
    with pytest.raises(OSError, match="device, not a regular file"):
        ff.save(default_model(), null)
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_save_error_names_the_file_not_the_temporary_one(tmp_path):
    path = tmp_path / "missing" / "x.aeviz"
    with pytest.raises(OSError) as info:
        ff.save(default_model(), path)
    assert info.value.filename == str(path)
    assert ".tmp" not in str(info.value) and ".aeviz-" not in str(info.value)


@pytest.mark.parametrize("length", [242, 250, 255])
def test_names_up_to_name_max_save(tmp_path, length):
    name = "n" * (length - len(".aeviz")) + ".aeviz"
    assert len(name.encode()) == length
    ff.save(default_model(), tmp_path / name)
    assert ff.load(tmp_path / name).name == default_model().name
    assert os.listdir(tmp_path) == [name]


@posix_only
def test_opening_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.aeviz"
    os.mkfifo(fifo)
    with pytest.raises(ff.FileFormatError, match="named pipe"):
        ff.load(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_devices_and_links_to_them_are_not_read(tmp_path):
    link = tmp_path / "zero.aeviz"
    link.symlink_to("/dev/zero")
    for path in ("/dev/zero", link):
        with pytest.raises(ff.FileFormatError, match="device"):
            ff.load(path)


def test_files_above_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ff, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.aeviz"
    path.write_text(" " * 1001)
    with pytest.raises(ff.FileFormatError, match="larger than 1000 bytes"):
        ff.load(path)
