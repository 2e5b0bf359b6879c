"""aeviz.gui.panels: see the README's "Layout"."""
