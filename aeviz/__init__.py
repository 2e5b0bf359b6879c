"""aeviz: a desktop app that teaches autoencoders.

This package's top level imports nothing heavy, so ``main.py`` can read the
version before the dependencies are installed.
"""

__version__ = "0.1.0"
