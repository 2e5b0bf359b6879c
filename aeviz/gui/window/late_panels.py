"""The panels behind another tab when the window opens, built the first time
they are shown or asked for (see :mod:`aeviz.gui.window.lazy_tabs`): the
Training, Settings, Explain and Generate docks, the Weights tab and the lesson
views' tabs (Outputs, Codes, Denoising, Images).  The first
picture needs none of them, and their widgets were a third of the window's.

Each is built as the window is at that moment: its refusals go to the status
bar, on stage (presenter mode) it is built in its stage layout, and the
Training and Generate panels are handed what their controllers kept meanwhile
(speed, phase, message; the code being decoded).  A panel built once stays."""

from __future__ import annotations


def presenting(window) -> bool:
    """On stage now (False while the window itself is being built)."""
    classroom = getattr(window, "classroom", None)
    return classroom is not None and classroom.presenting


def training_panel(window):
    from aeviz.gui.panels.training_panel import TrainingPanel
    panel = TrainingPanel(window.controller)
    window.training_ui.attach_panel(panel)
    if presenting(window):
        window.stage.stage_training(panel, True)
    return panel


def settings_panel(window):
    from aeviz.gui.panels.settings_panel import SettingsPanel
    panel = SettingsPanel(window.doc)
    panel.refused.connect(window.show_refusal)
    return panel


def explain_panel(window):
    from aeviz.gui.panels.explain_panel import ExplainPanel
    panel = ExplainPanel(window.doc, window.diagram)
    window.classroom.hide_too(panel)           # the fed pattern's loss and d(x, y): predict first
    if presenting(window):
        panel.set_compact(True)
    return panel


def weights_panel(window):
    from aeviz.gui.panels.weights_panel import WeightsPanel
    panel = WeightsPanel(window.doc)
    panel.refused.connect(window.show_refusal)
    if presenting(window):
        panel.set_compact(True)
    return panel


def generate_panel(window):
    from aeviz.gui.panels.generate_panel import GeneratePanel
    panel = GeneratePanel(window.doc, window.generate)
    window.generate.attach_panel(panel)
    window.classroom.hide_too(panel)           # the fed pattern's picture of y: predict first
    panel.set_compact(presenting(window))
    return panel


def lesson_view(window, name: str):
    """A lesson view's tab (``name``: its class); one that shows the output hides
    it while a prediction is open (predict, then reveal)."""
    if name == "OutputBars":                  # plain imports: the bundle's analysis sees them
        from aeviz.gui.panels.output_bars import OutputBars as view
    elif name == "CodesView":
        from aeviz.gui.panels.codes_view import CodesView as view
    elif name == "NoiseView":
        from aeviz.gui.panels.noise_view import NoiseView as view
    else:
        from aeviz.gui.panels.images_view import ImagesView as view
    panel = view(window.doc)
    if hasattr(panel, "set_hidden"):
        window.classroom.hide_too(panel)
    if hasattr(panel, "set_compact"):
        panel.set_compact(presenting(window))
    return panel
