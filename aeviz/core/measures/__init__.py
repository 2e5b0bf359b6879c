"""aeviz.core.measures: see the README's "Layout"."""
