"""aeviz.core.guides: see the README's "Layout"."""
