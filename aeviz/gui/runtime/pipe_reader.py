"""Read the training child's messages into one reused buffer.

``Connection.recv`` reads a message in chunks with ``os.read(fd, remaining)``:
each call allocates a buffer of the whole remaining size (a frame of the
1,797 digits is ~1 MB, so an ``mmap`` per chunk) and copies every chunk once
more into a ``BytesIO``.  That took ~1 ms of CPU per frame on the thread that
receives them, a thread that shares the window's GIL and, with training on the
other core, its core.  :class:`PipeReader` reads the same framing (a 4-byte
big-endian length, or -1 and an 8-byte one, then the pickle) with
``os.readv`` into a buffer kept between messages (the reads release the GIL)
and unpickles from it: ~0.3 ms.  Unpickled arrays own their memory (pickle
copies them out), so reusing the buffer is safe.

While a message is incomplete it looks at the pipe every ``poll_s`` and calls
``waiting()`` when nothing came meanwhile: a child that stops answering in the
middle of a frame (stopped by the system) would otherwise block the reading
thread for good, and the window's Pause or close with it; ``waiting`` may
raise to give up (:class:`~aeviz.gui.runtime.process_worker.ProcessWorker`
ends such a child).

Only for a socket ``multiprocessing.connection.Connection`` (Linux, macOS);
elsewhere (Windows' pipe connections) it calls ``recv``.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
from multiprocessing.connection import Connection
from typing import Callable


class PipeReader:
    def __init__(self, conn, waiting: Callable[[], None] = lambda: None,
                 poll_s: float = 0.02) -> None:
        self.conn, self.waiting = conn, waiting
        self.poll_ms = max(1, round(1000 * poll_s))
        self.direct = (isinstance(conn, Connection) and hasattr(os, "readv")
                       and hasattr(select, "poll"))
        self.buffer = bytearray(1 << 16)
        if self.direct:                   # one poll object: ~1 us a look (conn.poll: ~20)
            self._readable = select.poll()
            self._readable.register(conn.fileno(), select.POLLIN)

    def recv(self):
        """The next message (blocks until it is whole; EOFError if the child is gone)."""
        if not self.direct:
            return self.conn.recv()
        size = struct.unpack("!i", self._read(4))[0]
        if size == -1:
            size = struct.unpack("!Q", self._read(8))[0]
        return pickle.loads(self._read(size))

    def _read(self, size: int) -> memoryview:
        if len(self.buffer) < size:
            self.buffer = bytearray(max(size, 2 * len(self.buffer)))
        view = memoryview(self.buffer)[:size]
        fd, done = self.conn.fileno(), 0
        while done < size:
            while not self._readable.poll(self.poll_ms):      # (readable at EOF too)
                self.waiting()
            n = os.readv(fd, [view[done:]])
            if n == 0:
                raise EOFError("the training process closed its pipe")
            done += n
        return view
