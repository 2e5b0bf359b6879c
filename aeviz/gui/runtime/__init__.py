"""aeviz.gui.runtime: see the README's "Layout"."""
