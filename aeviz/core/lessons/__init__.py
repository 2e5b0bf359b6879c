"""aeviz.core.lessons: see the README's "Layout"."""
