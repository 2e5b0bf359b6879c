"""What the code space's note says: one short line over the plot (it must not
squash the plot in presenter mode) and the full statement of what is drawn, its
tooltip."""

from __future__ import annotations

from aeviz.core.measures import codespace
from aeviz.gui.panels import code_space_dots as dots


HIDDEN_SHORT = "The codes are hidden: predict, then reveal (R)"
HIDDEN_FULL = ("\"Predict, then reveal\" is on: each pattern's code is hidden until R "
               "reveals it (Ctrl+P turns predicting off).")
HOVER = " Hover a dot for its picture, click it to feed it."


def note_texts(view, net, dataset, many: bool, pictures_on: bool,
               names: list[str], hidden: bool = False) -> tuple[str, str]:
    """(short, full) for the code space ``view`` (:func:`codespace.view_of`) of
    ``net`` on ``dataset``: ``many`` patterns drawn as small dots, the decoded
    manifold shown (``pictures_on``), the points' ``names`` (none: unnamed), the
    codes ``hidden`` (predict, then reveal: no dot, card or label to speak of).
    A variational code's dots are its means μ."""
    plane, c = view.plane, net.sizes[net.code_layer]
    code = "mean code μ" if net.variational else "code h"
    pictures, shows = view.kind == "nearest", view.kind is not None
    pick = ("which pattern the decoded output is closest to" if pictures else
            "which output the decoder picks (argmax)")
    if plane.is_pca:
        short = f"{c}-unit code on its 2 principal components"
        full = (f"The code has {c} units: each pattern's {code} is shown on the plane of "
                "their two principal components, each point in its pattern's own colour."
                f" The background shows {pick}.")
    else:
        short = f"Each pattern's {code}" + (" (1 unit: on a line)" if c == 1 else "")
        full = f"Each pattern's {code}. The background shows {pick} at each point."
    labelled = dataset.labels is not None and many
    if pictures_on:
        short = "The decoder's picture at a grid of codes"
        full = ("The decoded manifold: the picture the decoder draws at each code of a "
                "grid evenly spread over the codes' range, the part of the plane shown "
                f"(as many square pictures as fill the plot, each about {dots.TILE_PX} px or "
                f"larger, up to {dots.TILES * dots.TILES}; M shows the dots again).")
    elif labelled:
        short += "; colour: its label (never used in training)"
        full = (full.split(" The background")[0] + " Each dot is coloured by its "
                "pattern's label, which training never uses." + HOVER)
    elif shows:
        short += ("; colour: the nearest pattern to the decoded output" if pictures else
                  "; colour: the decoder's pick (argmax)") + (" on this plane"
                                                              if plane.is_pca else "")
    elif many and len(dataset) > codespace.MAX_NEAREST:
        full = full.split(" The background")[0] + " (No map for this many patterns.)"
    else:
        why = ("the codes lie off this plane, so the decoder's pick on it can differ "
               "from a pattern's own output" if plane.is_pca else
               "the output is not softmax or sigmoid"
               if net.activations[-1] not in ("softmax", "sigmoid")
               else "the patterns are not made of 0s and 1s")
        full = full.split(" The background")[0] + f" (No map: {why}.)"
        if plane.is_pca and not many:
            short += "; colour: each pattern's own"
    if names and names[0] != "1":                  # named by label: say so
        full += (f" Each point is named by its pattern's label (pattern 1 is “{names[0]}”).")
    if hidden and not pictures_on:                 # no dot, card or name to speak of
        return HIDDEN_SHORT, HIDDEN_FULL + " " + full.replace(HOVER, "")
    return short, full
