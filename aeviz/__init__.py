"""aeviz: a desktop app that teaches autoencoders.

This package's top level imports nothing heavy, so ``main.py`` can read the
version before the dependencies are installed.
"""

import os

__version__ = "0.1.0"

# One BLAS thread unless the user says otherwise (read when NumPy loads, so before
# it): the window's GUI thread and its training thread already share the cores,
# and BLAS threads that spin beside them stall both — the forward pass of the
# 1,797 digits took 16 ms with a second BLAS thread and one other busy process,
# 3 ms with one thread.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

# The same for Qt's image threads (read when Qt first draws a big image): Qt splits
# a large image draw between pool threads and waits for them, and while the digits
# train those threads wait for a core that training and the frames hold.  Drawn on
# the GUI thread itself, the worst event-loop gaps were 28-32 ms against 36-41 ms
# in three interleaved pairs of runs.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
