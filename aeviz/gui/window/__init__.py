"""aeviz.gui.window: see the README's "Layout"."""
