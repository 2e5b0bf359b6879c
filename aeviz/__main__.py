"""``python -m aeviz ...`` runs the same command line as the ``aeviz`` script."""

import sys

from aeviz.cli import main

sys.exit(main())
