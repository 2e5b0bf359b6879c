"""Generating from the code space in the window: decode a code set by hand (click
or drag in the code space, or G and Alt+arrows), walk between two patterns'
codes, draw codes from the prior, and the VAE's controls and views.

While a code is decoded, the diagram shows the decoder alone (input and encoder
marked "–"), the Values panel and the Images tab show the code and what the
decoder makes of it; releasing (or G again) returns to the fed pattern.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

from aeviz.core.measures import codespace
from aeviz.core.measures import generate
from aeviz.core.numbers import vector
from aeviz.gui.controllers.classroom import DECODE_PREDICT_FIRST
from aeviz.gui.window.actions import ActionSpec, Place
from aeviz.gui.drawing.diagram import Overlay
from aeviz.gui.panels.plots import PLOT_INTERVAL_MS
from aeviz.gui.runtime.document import Document, EditRefused
from aeviz.gui.runtime.throttle import Throttled

KEY_STEP = 0.05          # Alt+arrow moves the decoded code by this fraction of the plane
PRIOR_RADII = (1.0, 2.0)


MAX_ELLIPSES = codespace.MAX_ELLIPSES   # more patterns: no sigma ellipses (one item each)


class GenerateController(QObject):
    """Owns the decoded code (None: the window shows the fed pattern) and the
    items it adds to the code space (marker, samples, sigma ellipses, prior)."""

    panel_wanted = Signal()               # Walk, Sample: the Generate panel should show

    def __init__(self, window, doc: Document, diagram, values, code_space, tabs,
                 status) -> None:
        super().__init__(window)
        self.hidden = False                   # predict, then reveal (set_hidden)
        self.window, self.doc, self.diagram, self.values = window, doc, diagram, values
        self.code_space, self.tabs, self.status = code_space, tabs, status
        self.code: np.ndarray | None = None          # the code being decoded
        self.samples: generate.Samples | None = None
        self._sample_rng: np.random.Generator | None = None   # made at the first draw
        self._sample_seed = 0
        plot = code_space.plot
        self.marker = pg.ScatterPlotItem(size=22, symbol="x", pen=pg.mkPen("k", width=2),
                                         brush=pg.mkBrush(255, 255, 255))
        self.marker.setZValue(20)
        self.sample_points = pg.ScatterPlotItem(size=7, symbol="o", pen=pg.mkPen("k"),
                                                brush=pg.mkBrush(120, 120, 120, 160))
        self.prior: list[pg.PlotDataItem] = []     # the prior's circles (made for a VAE)
        self.ellipses: list[pg.PlotDataItem] = []
        for item in (self.marker, self.sample_points):
            plot.addItem(item)
        self.marker.setVisible(False)
        self._dragging = False
        plot.viewport().installEventFilter(self)
        self.walk_timer = QTimer(self)
        self.walk_timer.setInterval(40)
        self.walk_timer.timeout.connect(self._walk_tick)
        self.panel = None                 # the GeneratePanel, once built (attach_panel)
        doc.values_changed.connect(self._follow)
        self.samples_throttled = Throttled(self._follow_samples, PLOT_INTERVAL_MS, self)
        doc.values_changed.connect(self.samples_throttled)
        tabs.tabs.currentChanged.connect(self._on_tab)   # after LazyTabs built the tab
        window.phases.changed.connect(self._on_phase)
        doc.structure_changed.connect(self._on_structure)
        self._on_structure()

    def attach_panel(self, panel) -> None:
        """The Generate panel, built when its dock is first shown: it shows what
        this controller decodes, walks and samples."""
        self.panel = panel

    # --- actions --------------------------------------------------------------------
    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec("decode_here", "&Decode here", self.toggle_decoding, ("G",),
                       "Decode a code set by hand: starts at the fed pattern's code; "
                       "Alt+arrows move it, G again returns (or click and drag in the "
                       "code space)", checkable=True,
                       menu=Place("&Generate")),
            ActionSpec("decode_left", "Move the decoded code left", lambda: self.nudge(-1, 0),
                       ("Alt+Left",)),
            ActionSpec("decode_right", "Move the decoded code right", lambda: self.nudge(1, 0),
                       ("Alt+Right",)),
            ActionSpec("decode_up", "Move the decoded code up", lambda: self.nudge(0, 1),
                       ("Alt+Up",)),
            ActionSpec("decode_down", "Move the decoded code down", lambda: self.nudge(0, -1),
                       ("Alt+Down",)),
            ActionSpec("walk", "&Walk between codes", self.walk, (),
                       "Slide from one pattern's code to another's and watch the output",
                       menu=Place("&Generate")),
            ActionSpec("sample", "&Sample from N(0, I)", self.sample, ("Ctrl+G",),
                       "Draw 16 codes from the prior N(0, I) and decode them",
                       menu=Place("&Generate")),
            ActionSpec("variational", "&Variational code (VAE)", self.toggle_variational,
                       (), "Make the code variational: mean and spread, sampled codes, "
                       "the KL term (one undo step)", checkable=True,
                       menu=Place("&Generate", 1)),
        ]

    def bind(self, actions) -> None:
        self.actions_ = actions
        self._sync_actions()

    def _sync_actions(self) -> None:
        if hasattr(self, "actions_"):
            self.actions_["decode_here"].setChecked(self.code is not None)
            self.actions_["variational"].setChecked(self.doc.lesson.network.variational)

    # --- the plane --------------------------------------------------------------------
    def has_code(self) -> bool:
        net = self.doc.lesson.network
        return net.code_layer < net.depth

    def plane(self) -> codespace.Plane:
        """The plane the code space draws (the panel's own, computed once per state)."""
        return self.doc.lesson.derived.get("code space").plane

    # --- decoding -------------------------------------------------------------------------
    def decode(self, code: np.ndarray) -> None:
        """Show the decoder's output for ``code`` (c,) everywhere it is drawn."""
        if not self.has_code():
            self.status("This network has no hidden code layer to decode from.")
            return
        if self.window.phases.active:
            self.status("Finish the step-through (N) before decoding a code by hand.")
            return
        if self.hidden:                        # it would show what the class predicts
            self.walk_timer.stop()
            self.status(DECODE_PREDICT_FIRST)
            self._sync_actions()
            return
        self.code = np.asarray(code, dtype=float).ravel()
        self._show()
        self._sync_actions()

    def _show(self) -> None:
        net = self.doc.lesson.network
        values = generate.layer_values(net, self.code)
        c = net.code_layer
        weights = np.concatenate([w.ravel() for w in net.weights])
        used = weights.copy()
        used[:sum(w.size for w in net.weights[:c])] = 0.0        # the encoder is not used
        shown = vector(self.code[:4], 2)[1:-1] + (", …" if net.code_size > 4 else "")
        self.diagram.set_overlay(Overlay(
            values, used, {c},
            caption=f"Decoding the code h = ({shown}) set by hand: the decoder alone",
            edge_name="w (encoder not used: grey)", blank="–"))
        y = values[-1]
        self.values.show_decoded(self.code, y)
        if self.tabs.built("Images"):
            self.tabs.page("Images").show_decoded(y)
        xy = codespace.project(self.plane(), self.code)[0]
        self.marker.setData([xy[0]], [xy[1]])
        self.marker.setVisible(True)
        if self.panel is not None:
            self.panel.show_decoded(self.code, y)

    def end_decoding(self) -> None:
        """Back to the fed pattern."""
        if self.code is None:
            return
        self.code = None
        self.walk_timer.stop()
        self.marker.setVisible(False)
        if not self.window.phases.active:          # the step-through's overlay stays
            self.diagram.set_overlay(None)
        self.values.show_decoded(None, None)
        if self.tabs.built("Images"):
            self.tabs.page("Images").show_decoded(None)
        if self.panel is not None:
            self.panel.show_decoded(None, None)
        self._sync_actions()

    def toggle_decoding(self) -> None:
        if self.code is not None:
            self.end_decoding()
            return
        if self.has_code():
            self.decode(self.doc.lesson.forward()[1][self.doc.lesson.network.code_layer][0])
        else:
            self.status("This network has no hidden code layer to decode from.")
            self._sync_actions()

    def nudge(self, dx: int, dy: int) -> None:
        """Alt+arrows: move the decoded code across the plane (starting decoding)."""
        if self.code is None:
            self.toggle_decoding()
            if self.code is None:
                return
        plane = self.plane()
        x0, x1, y0, y1 = plane.extent
        xy = codespace.project(plane, self.code)[0] + [dx * KEY_STEP * (x1 - x0),
                                                        dy * KEY_STEP * (y1 - y0)]
        self.decode(self._lift(plane, xy))

    def _lift(self, plane: codespace.Plane, xy) -> np.ndarray:
        return generate.from_plane(plane, np.asarray(xy, dtype=float)[None, :])[0]

    def _follow(self) -> None:
        """Training or an edit changed the weights: decode the same code again (the
        step-through, once started, takes the diagram over)."""
        if self.code is not None and self.window.phases.active:
            self.end_decoding()
        elif self.code is not None and self.code.size == self.doc.lesson.network.code_size:
            self._show()
        self._draw_vae()

    def _follow_samples(self) -> None:
        """The samples follow too, as the plots do (at most every PLOT_INTERVAL_MS:
        decoding them and finding their nearest patterns costs about a forward
        pass of the digits): the same codes z, decoded by the decoder now; their
        grey dots and the panel's pictures and counts."""
        net = self.doc.lesson.network
        if self.samples is None or self.samples.codes.shape[1] != net.code_size:
            return
        self.samples = generate.decode_codes(net, self.doc.lesson.data(), self.samples.codes)
        xy = codespace.project(self.plane(), self.samples.codes)
        self.sample_points.setData(xy[:, 0], xy[:, 1])
        if self.panel is not None and self.code is None:    # (a decoding is shown over them)
            self.panel.show_samples(self.samples)

    def _on_phase(self, *_args) -> None:
        if self.code is not None and self.window.phases.active:
            self.end_decoding()                            # the step-through's overlay stays

    def _on_tab(self, _index: int) -> None:
        if self.code is not None:
            self._show()                                   # e.g. the Images tab, just built

    def _on_structure(self) -> None:
        # the samples first: ending the decoding shows them again (for another dataset)
        self.samples = None
        self.reset_samples()
        self.end_decoding()
        self.sample_points.setData([], [])
        self._sync_actions()
        if self.panel is not None:
            self.panel.rebuild()
        self._draw_vae()

    # --- mouse in the code space ---------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.MouseButtonPress and event.button() == Qt.LeftButton:
            if not self._on_plane(event.position()):     # the axes, the "A" button
                return False
            dot = self.code_space.dot_at(event.position())
            if dot is not None:                          # many dots: a click feeds one
                self.end_decoding()
                self.doc.lesson.feed_pattern(dot)
                return True
            self._decode_at(event.position())
            self._dragging = self.code is not None      # (refused: no drag to follow)
            return True
        if kind == QEvent.MouseMove and self._dragging:
            self._decode_at(event.position())
            return True
        if kind == QEvent.MouseButtonRelease and self._dragging:
            self._dragging = False
            self.end_decoding()
            return True
        return False

    def _on_plane(self, pos) -> bool:
        """Whether a press at ``pos`` (viewport pixels) lands on the plotted plane,
        not on an axis or the plot's "A" button (which restores a zoomed view)."""
        plot = self.code_space.plot
        item, scene = plot.getPlotItem(), plot.mapToScene(pos.toPoint())
        if item.autoBtn.isVisible() and item.autoBtn.sceneBoundingRect().contains(scene):
            return False
        return item.vb.sceneBoundingRect().contains(scene)

    def _decode_at(self, pos) -> None:
        plot = self.code_space.plot
        point = plot.getPlotItem().vb.mapSceneToView(plot.mapToScene(pos.toPoint()))
        self.decode_plane_point(point.x(), point.y())

    def decode_plane_point(self, x: float, y: float) -> None:
        """Decode the code at plane coordinates (x, y) of the code space."""
        if self.has_code():
            self.decode(self._lift(self.plane(), (x, y)))

    # --- walks ----------------------------------------------------------------------------
    def walk_to(self, a: int, b: int, t: float) -> None:
        """Decode the point a fraction ``t`` of the way from pattern a's code to b's."""
        codes = self.doc.lesson.evaluation().codes
        self.decode((1.0 - t) * codes[a] + t * codes[b])

    def walk(self) -> None:
        """Generate → Walk: show the panel and walk between its two patterns."""
        self.panel_wanted.emit()
        if self.has_code():
            self.animate_walk()

    def animate_walk(self) -> None:
        self._walk_t = 0.0
        self.walk_timer.start()

    def _walk_tick(self) -> None:
        if self.panel is None:
            self.walk_timer.stop()
            return
        self._walk_t = min(1.0, self._walk_t + 0.02)
        self.panel.set_walk_position(self._walk_t)
        if self._walk_t >= 1.0:
            self.walk_timer.stop()

    # --- the prior --------------------------------------------------------------------------
    def sample(self, count: int = 16) -> generate.Samples | None:
        self.panel_wanted.emit()
        return self._sample(count)

    def _sample(self, count: int) -> generate.Samples | None:
        """Draw ``count`` codes from N(0, I) (a generator seeded by the lesson's seed
        and the number of draws so far) and decode them."""
        if not self.has_code():
            self.status("This network has no hidden code layer to sample.")
            return None
        net = self.doc.lesson.network
        if self._sample_rng is None:
            self._sample_rng = np.random.default_rng(self._sample_seed)
        self.samples = generate.sample_prior(net, self.doc.lesson.data(), count, self._sample_rng)
        xy = codespace.project(self.plane(), self.samples.codes)
        self.sample_points.setData(xy[:, 0], xy[:, 1])
        if self.panel is not None:
            self.panel.show_samples(self.samples)
        return self.samples

    def reset_samples(self) -> None:
        """Samples start again from the lesson's seed."""
        self._sample_rng, self._sample_seed = None, self.doc.lesson.model.training.seed

    # --- VAE --------------------------------------------------------------------------------
    def toggle_variational(self) -> None:
        try:
            self.doc.lesson.set_variational(not self.doc.lesson.network.variational)
        except EditRefused as e:
            self.status(str(e))
        self._sync_actions()

    def set_beta(self, beta: float) -> None:
        try:
            self.doc.lesson.set_setting("beta", beta)      # β alone: "Set β 1 → 0.01"
        except EditRefused as e:
            self.status(str(e))

    def set_hidden(self, hide: bool) -> None:
        """Predict, then reveal: a code decoded by hand ends and no other is
        decoded until the reveal (it shows the decoder's output); the σ ellipses
        go with the codes they are centred on (each marks its pattern's mean code
        μ); the prior's circles stay."""
        self.hidden = hide
        if hide:
            self.end_decoding()
        for item in self.ellipses:
            item.setVisible(not hide)

    def _draw_vae(self) -> None:
        """Each pattern's mean code with a 1-sigma ellipse, over the prior's circles
        (2-unit variational codes)."""
        net = self.doc.lesson.network
        show = net.variational and net.code_size == 2 and self.has_code()
        t = np.linspace(0, 2 * np.pi, 49)
        if show and not self.prior:
            self.prior = [self.code_space.plot.plot(
                [], [], pen=pg.mkPen((90, 90, 90), width=1, style=Qt.DashLine))
                for _ in PRIOR_RADII]
            for item in self.prior:      # over the dots: 1,797 codes hid the circle of radius 1
                item.setZValue(self.code_space.points.zValue() + 0.5)
        for item, r in zip(self.prior, PRIOR_RADII):
            item.setData(r * np.cos(t) if show else [], r * np.sin(t) if show else [])
        if not show:
            for item in self.ellipses:
                item.setData([], [])
            return
        if len(self.doc.lesson.model.dataset) > MAX_ELLIPSES:    # thousands: the dots say it
            for item in self.ellipses:
                item.setData([], [])
            return
        x = self.doc.lesson.data()
        with np.errstate(all="ignore"):      # σ may overflow to inf: no ellipse then
            mu, sigma = net.code(x), np.exp(net.logvar(x) / 2)
        plot = self.code_space.plot
        while len(self.ellipses) < len(mu):
            self.ellipses.append(plot.plot([], [], pen=pg.mkPen((60, 60, 60), width=1.5)))
            self.ellipses[-1].setVisible(not self.hidden)
        for item, m, s in zip(self.ellipses, mu, sigma):
            if np.isfinite(m).all() and np.isfinite(s).all():
                item.setData(m[0] + s[0] * np.cos(t), m[1] + s[1] * np.sin(t))
            else:
                item.setData([], [])
        for item in self.ellipses[len(mu):]:
            item.setData([], [])
