"""aeviz.gui.drawing: see the README's "Layout"."""
