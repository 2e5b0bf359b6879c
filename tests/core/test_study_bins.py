"""The study's histogram has round bin edges (#23): 400, 500 … not 425, 862."""

from __future__ import annotations

import numpy as np

from aeviz.core.measures.study import SeedRun, Study, round_width


def test_round_width():
    assert [round_width(v) for v in (0.3, 1, 1.2, 3, 7, 12, 43.7, 437, 4370)] == \
        [1, 1, 2, 5, 10, 20, 50, 500, 5000]


def test_histogram_edges_are_round_and_cover_every_run():
    runs = [SeedRun(k, "solved", e, 5, 0.1)
            for k, e in enumerate([425, 862, 1299, 4800, 2000, 3100])]
    counts, edges = Study(runs, 5000).histogram()
    width = edges[1] - edges[0]
    assert width in (100, 200, 500, 1000) and (edges % width == 0).all()
    assert counts.sum() == len(runs) and edges[0] <= 425 and edges[-1] > 4800
