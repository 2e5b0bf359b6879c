"""aeviz.core.engine: see the README's "Layout"."""
