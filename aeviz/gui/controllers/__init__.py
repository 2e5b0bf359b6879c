"""The window's behaviour, one controller per concern (files, editing, training,
datasets, classroom).  Each gets what it needs in ``__init__``, declares its
actions (:mod:`aeviz.gui.window.actions`) and owns their handlers; none reads another's
attributes.  Dialogs are methods that tests replace (``ask_unsaved``...)."""
