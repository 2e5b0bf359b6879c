"""aeviz.core.files: see the README's "Layout"."""
