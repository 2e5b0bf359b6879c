"""aeviz.gui: the Qt window. Shows aeviz.core and turns actions into core calls."""
