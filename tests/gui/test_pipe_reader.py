"""PipeReader reads what the training child sends on its pipe, as
``Connection.recv`` would, into one reused buffer."""

from __future__ import annotations

import os
import pickle
import struct
import threading
from multiprocessing import Pipe

import numpy as np
import pytest

from aeviz.gui.runtime.pipe_reader import PipeReader

pytestmark = pytest.mark.skipif(not hasattr(os, "readv"), reason="a socket connection (POSIX)")


def sent_in_background(conn, messages):
    t = threading.Thread(target=lambda: [conn.send(m) for m in messages], daemon=True)
    t.start()
    return t


def test_messages_small_and_larger_than_the_buffer_arrive_whole_and_in_order():
    parent, child = Pipe(duplex=True)
    frame = ("snap", 7, np.arange(1797 * 64, dtype=float).reshape(1797, 64), {"k": [1, 2]})
    messages = [("token",), frame, ("speed", 0), frame, ("final", None, None)]
    t = sent_in_background(child, messages)
    reader = PipeReader(parent)
    assert reader.direct
    got = [reader.recv() for _ in messages]
    t.join(5)
    assert got[0] == ("token",) and got[2] == ("speed", 0) and got[4][0] == "final"
    for snap in (got[1], got[3]):
        assert snap[:2] == ("snap", 7) and snap[3] == {"k": [1, 2]}
        assert np.array_equal(snap[2], frame[2])
    # the arrays own their memory: the next message does not overwrite the last one
    assert not np.shares_memory(got[1][2], got[3][2])
    assert np.array_equal(got[1][2], frame[2])


def test_the_long_length_header_of_a_message_over_2_gb_is_read():
    parent, child = Pipe(duplex=True)
    payload = pickle.dumps(("snap", list(range(100))))
    os.write(child.fileno(), struct.pack("!i", -1) + struct.pack("!Q", len(payload)) + payload)
    assert PipeReader(parent).recv() == ("snap", list(range(100)))


def test_a_closed_pipe_is_eof_as_for_recv():
    parent, child = Pipe(duplex=True)
    child.send(("snap", 1))
    child.close()
    reader = PipeReader(parent)
    assert reader.recv() == ("snap", 1)
    with pytest.raises(EOFError):
        reader.recv()


def test_a_message_cut_off_by_the_child_dying_is_eof():
    parent, child = Pipe(duplex=True)
    payload = pickle.dumps(np.zeros(10_000))
    os.write(child.fileno(), struct.pack("!i", len(payload)) + payload[:100])
    child.close()
    with pytest.raises(EOFError):
        PipeReader(parent).recv()
