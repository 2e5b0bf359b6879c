"""Honest code-space labels (#23): only codes equal at 3 decimals share a label;
near but different codes get their own labels, beside their points, never
overlapping (a leader line where pushed away)."""

from __future__ import annotations

import itertools

import numpy as np

from aeviz.core.measures.labels import place_labels, same_code_groups


def overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def test_only_codes_equal_at_three_decimals_share_a_label():
    # the article: patterns 1 and 5 share (0.762, 0.762)
    codes = np.array([[0.7616, 0.7616], [0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.76159, 0.76161]])
    assert same_code_groups(codes) == [[0, 4], [1], [2], [3]]
    # "4,5" for (0.195, 0.401) and (0.081, 0.667): two labels
    assert same_code_groups(np.array([[0.195, 0.401], [0.081, 0.667]])) == [[0], [1]]
    # 0.0004 apart rounds equal; 0.0006 apart does not; -0.0001 and 0.0001 are one 0.000
    assert same_code_groups(np.array([[0.1234], [0.1236], [0.1232]])) == [[0, 2], [1]]
    assert same_code_groups(np.array([[-0.0001, 0.5], [0.0001, 0.5]])) == [[0, 1]]
    # 8-3-8 codes that differ in one of three units stay apart ("1,4" was wrong)
    assert same_code_groups(np.array([[0.9, 0.1, 0.5], [0.9, 0.1, 0.52]])) == [[0], [1]]


def check(anchors, sizes, points=None, radius=6.0):
    placed = place_labels(anchors, sizes, points, radius)
    assert len(placed) == len(anchors)
    for a, b in itertools.combinations(placed, 2):
        assert not overlap(a.rect(), b.rect()), (a, b)
    pts = np.asarray(points if points is not None else anchors, float)
    for p, (x, y) in zip(placed, np.asarray(anchors, float)):
        assert p.anchor == (x, y)
        if not p.leader:                              # read as its own point's label
            d = np.hypot(*(pts - np.array(p.center)).T)
            assert d.min() >= np.hypot(p.center[0] - x, p.center[1] - y) - 0.5
        left, bottom, right, top = p.rect()
        gap = max(left - x, x - right, bottom - y, y - top, 0)
        if not p.leader:                              # beside its point
            assert gap <= radius + 3
    return placed


def test_near_codes_get_their_own_labels_without_overlap():
    # the VAE case: ten codes within a few pixels of each other ("1,3,4,7,9,10")
    rng = np.random.default_rng(0)
    anchors = 150 + rng.normal(0, 4, size=(10, 2))
    placed = check(anchors, [(16 + 8 * (k >= 9), 14) for k in range(10)], anchors)
    assert any(p.leader for p in placed)              # crowded: some need leader lines
    assert all(np.hypot(*(np.array(p.center) - p.anchor)) < 120 for p in placed)


def test_spread_points_keep_their_labels_upper_right_without_leaders():
    anchors = np.array([[10, 10], [100, 10], [10, 100], [100, 100]], float)
    placed = check(anchors, [(12, 14)] * 4)
    assert not any(p.leader for p in placed)
    for p in placed:                                   # the upper right of its point
        assert p.center[0] > p.anchor[0] and p.center[1] > p.anchor[1]


def test_two_labels_side_by_side_never_overprint():
    # "4,53": two near points whose labels overprinted
    anchors = np.array([[50, 50], [58, 52]], float)
    check(anchors, [(22, 14), (12, 14)], anchors)


def test_a_label_is_never_nearer_another_point():
    """The 8-3-8 case: point 6 just below point 8, whose label took the upper
    right; 6's label must not sit by 8."""
    anchors = np.array([[100, 100], [102, 118]], float)      # 6, then 8 above it
    placed = place_labels(anchors[::-1], [(10, 14), (10, 14)], anchors)
    six = placed[1]
    d6 = np.hypot(*(np.array(six.center) - anchors[0]))
    d8 = np.hypot(*(np.array(six.center) - anchors[1]))
    assert d6 <= d8 or six.leader


def test_points_are_named_by_their_labels_when_each_pattern_has_its_own():
    from aeviz.core.measures.labels import point_names
    assert point_names(["0", "1", "2"]) == ["0", "1", "2"]      # the 5×7 digits
    assert point_names(["", "", ""]) == ["1", "2", "3"]         # no labels: pattern numbers
    assert point_names(["a", "b", "a"]) == ["1", "2", "3"]      # shared labels: ambiguous
    assert point_names([]) == []
