"""aeviz: a desktop app that teaches autoencoders.

This package's top level imports nothing heavy, so ``main.py`` can read the
version before the dependencies are installed.
"""

import os

# One BLAS thread unless the user asks for more.  aeviz's matrices are small
# (64 x 32 on 1,797 patterns) and two Python threads use them at once (training
# and the window's values): with OpenBLAS's own threads on top, a 1,797 x 64 x 32
# product took 35 ms instead of 2 ms on a busy two-core machine, and the window
# trained at a tenth of the command line's speed.  Set before NumPy is imported.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
