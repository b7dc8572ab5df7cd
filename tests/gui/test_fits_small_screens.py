"""The window on a projector (issue 12, item 7): at 1280 x 720, in normal and presentation mode,
every view is usable and nothing is cut off: no control behind a scroll bar, no text squeezed,
no figure losing its bottom rows, in-plot type scaled once (not 1.5 x 1.5)."""

from contextlib import contextmanager

import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.frames import make_frame
from gui.graphics.colorbar import ColorBar
from gui.graphics.type_scale import scale_scene
from gui.model import session_file
from gui.model.app_model import AppModel, from_session
from gui.model.present.unfolded_layout import Y_J, Y_OUT

SMALL = (1280, 720)


def settle(window, rounds: int = 15) -> None:
    """Let jobs land and layouts (and the canvases' second fits) settle."""
    for _ in range(rounds):
        QtWidgets.QApplication.processEvents()
        window.ctx.runner.wait(60_000)


def on_preset(make_window, name: str, size=SMALL):
    window = make_window(from_session(session_file.load_preset(name)), size=size)
    window.open_view(session_file.load_preset(name).view)
    settle(window)
    return window


def present(window, size=SMALL) -> None:
    """Presentation mode on a screen of ``size`` (the test screen is another size)."""
    window.set_presentation(True)
    window.resize(*size)
    settle(window)


@contextmanager
def presenting(window, size=SMALL):
    """Presentation mode on a screen of ``size`` for the ``with`` block, then back."""
    present(window, size)
    try:
        yield
    finally:
        window.set_presentation(False)


def inside(outer: QtCore.QRectF, inner: QtCore.QRectF, slack: float = 1.0) -> bool:
    return outer.adjusted(-slack, -slack, slack, slack).contains(inner)


def figure_fits(canvas) -> bool:
    """The canvas' whole figure is drawn inside its widget."""
    drawn = canvas.mapFromScene(canvas.ci.sceneBoundingRect()).boundingRect()
    return inside(QtCore.QRectF(canvas.viewport().rect()), QtCore.QRectF(drawn), 2.0)


# -- presentation type --------------------------------------------------------------------------
def test_presentation_scales_in_plot_type_once_even_in_tabs_built_after_f11(make_window):
    window = make_window(AppModel())
    normal_px = QtGui.QFontInfo(QtWidgets.QApplication.font()).pixelSize()
    window.set_presentation(True)
    try:
        view = window.view("training")  # built after F11: the application font is 1.5 x
        window.show_tab("Training")
        settle(window)
        axes = [i for i in view.canvas.scene().items()
                if isinstance(i, pg.AxisItem) and i.isVisible() and i.style["showValues"]]
        assert axes
        for ax in axes:
            font = ax.style["tickFont"] or QtWidgets.QApplication.font()  # None: the app's
            px = QtGui.QFontInfo(font).pixelSize()
            assert px <= 1.6 * normal_px, f"tick type {px} px: scaled twice"
            assert px >= 1.4 * normal_px
    finally:
        window.set_presentation(False)


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5])
def test_colour_bars_hold_their_title_and_scale_at_every_type_scale(qtbot, scale):
    canvas = pg.GraphicsLayoutWidget()
    qtbot.addWidget(canvas)
    bar = ColorBar(canvas.ci, 0, 0, width_px=180)  # the LSTM key's width
    bar.set("diverging", "error δ of the hidden nodes", "−0.896", "0", "0.896", "#000000")
    scale_scene(canvas.scene(), scale)
    canvas.resize(400, 300)
    canvas.show()
    QtWidgets.QApplication.processEvents()
    canvas.grab()  # text items place themselves by their anchors when painted
    box = bar.vb.sceneBoundingRect()
    for text in (bar.title, bar.lo, bar.mid, bar.hi):
        drawn = text.textItem.mapRectToScene(text.textItem.boundingRect())
        assert inside(box, drawn.adjusted(0, 4, 0, -4), 1.0), \
            f"{text.textItem.toPlainText()!r} sticks out of its colour bar at {scale}"
    lo, mid, hi = (t.textItem.mapRectToScene(t.textItem.boundingRect())
                   for t in (bar.lo, bar.mid, bar.hi))
    assert lo.right() <= mid.left() + 8 and mid.right() <= hi.left() + 8  # (document margins)


# -- figures that need more room than the screen has ----------------------------------------------
def test_the_lstm_circuit_following_a_flow_fits_at_720p(make_window):
    window = on_preset(make_window, "lstm-highway")
    window.app.set_selection(flow="c")
    settle(window)
    view = window.view("lstm-circuit")
    assert figure_fits(view.canvas), "the 'following c' sum is cut off"
    with presenting(window):
        assert figure_fits(view.canvas), "the circuit is cut off in presentation mode"
        strip = window.view("equations")
        card = max(c.rect.height() for c in strip.board.cards)
        assert strip.scroll.viewport().height() >= card, "the framed card is cut"


def test_task_type_row_labels_do_not_overlap_in_presentation_mode(make_window):
    window = on_preset(make_window, "many-to-one")
    with presenting(window):
        view = window.view("task-types")
        assert figure_fits(view.canvas)
        for panel in view.panels.values():
            labels = [t for t in panel.labels.values() if t.isVisible()]
            ys = sorted(view.canvas.mapFromScene(t.mapToScene(t.boundingRect().center())).y()
                        for t in labels)
            ascent = QtGui.QFontMetrics(labels[0].textItem.font()).ascent()
            zoom = view.canvas.transform().m22()
            gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
            assert min(gaps) >= 0.9 * ascent * zoom, f"{panel.title_text}: labels collide"


def test_chain_rule_nodes_are_whole_at_720p(make_window):
    window = on_preset(make_window, "backprop-basics")
    view = window.view("chain-rule")
    window.show_tab("Backprop basics")
    settle(window)
    box = view.vb.sceneBoundingRect()
    r = view.nodes.opts["size"] / 2
    for spot in view.nodes.points():
        c = view.vb.mapViewToScene(spot.pos())
        assert inside(box, QtCore.QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), 1.5)


# -- controls -----------------------------------------------------------------------------------
def test_landscape_controls_wrap_instead_of_hiding_behind_a_scroll_bar(make_window):
    window = on_preset(make_window, "clipping-on-a-cliff")
    view = window.view("landscape")
    assert not view.findChildren(QtWidgets.QScrollBar) or not any(
        b.isVisible() for b in view.findChildren(QtWidgets.QScrollBar))
    for w in (view.controls.default_button, view.controls.steps, view.controls.start_label):
        rect = QtCore.QRect(w.mapTo(view, QtCore.QPoint(0, 0)), w.size())
        assert w.isVisible() and view.rect().contains(rect), f"{w} is cut off"
    assert "click the map" in view.controls.start_label.text()


def test_landscape_legend_leaves_screen_only_words_out_of_exports(make_window):
    window = on_preset(make_window, "clipping-on-a-cliff")
    view = window.view("landscape")

    def labels():
        return [label.text for _, label in view.cliff.legend.items]

    assert any("click the map" in t for t in labels())
    view.draw(make_frame(window.app, export=True, derived=view.frame.derived))
    assert labels() and not any("click" in t for t in labels())


def test_geometry_fits_720p_without_a_scroll_bar(make_window):
    window = on_preset(make_window, "curse-of-dimensionality")
    window.open_view("geometry-distances")
    settle(window)
    page = window.tabs.currentWidget()
    assert not page.verticalScrollBar().isVisible()
    view = window.view("geometry-distances")
    assert view.canvas.height() >= 300  # the figures get the room, not a scrolled-away page


def test_training_form_never_squeezes_its_notes(make_window):
    window = on_preset(make_window, "chunked-truncation")
    view = window.view("training")
    for label in view.controls.findChildren(QtWidgets.QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()
    with presenting(window):
        button = view.compare_button
        needed = button.fontMetrics().horizontalAdvance(button.text())
        assert button.width() >= needed, "the compare button's text is cut"


@pytest.mark.parametrize("size", [SMALL, (1400, 900)])
def test_no_tab_scrolls_sideways(make_window, size):
    window = make_window(AppModel(), size=size)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle(window, 3)
        page = window.tabs.widget(i)
        assert not page.horizontalScrollBar().isVisible(), window.tabs.tabText(i)


def test_unfolded_losses_clear_the_outputs_and_the_top_edge_at_720p(make_window):
    window = on_preset(make_window, "bptt-colours")
    with presenting(window):
        view = window.view("network")
        assert figure_fits(view.canvas)
        size = view._node_size()  # J is drawn 1.4 times a node
        px = view.vb.viewPixelSize()[1]  # data units per pixel
        gap = (Y_J - Y_OUT) / px  # pixels between the J row and the ŷ row
        assert gap >= 0.7 * size + 0.5 * size + 2, "J(t) touches the ŷ(t) row"
        top = (view.lay.y_range[1] - Y_J) / px
        assert top >= 0.7 * size, "J(t) is cut at the top"


def test_landscape_side_plots_label_no_more_decades_than_fit_in_presentation(make_window):
    window = on_preset(make_window, "clipping-on-a-cliff")
    with presenting(window):
        view = window.view("landscape")
        for plot in (view.cliff.loss_plot, view.cliff.step_plot):
            axis = plot.getAxis("left")
            lo, hi = plot.getViewBox().viewRange()[1]
            shown = sorted(v for v, _ in axis._tickLevels[0] if lo <= v <= hi)
            assert len(shown) >= 2
            px_per_unit = plot.getViewBox().height() / (hi - lo)
            font = axis.style["tickFont"] or QtWidgets.QApplication.font()
            line = QtGui.QFontInfo(font).pixelSize()
            gaps = [(b - a) * px_per_unit for a, b in zip(shown, shown[1:], strict=False)]
            assert min(gaps) >= line, f"tick labels {min(gaps):.0f} px apart, {line} px high"


@pytest.mark.parametrize("phase, t", [("forward", 1), ("forward", 5), ("backward", 5)])
def test_the_framed_equation_is_in_view_in_presentation_mode(make_window, phase, t):
    """Entering presentation mode enlarges the cards and reflows them: the framed card (the
    step's equation the lecture is about) is brought back into view, whole, without scrolling."""
    from gui.model.cursor import Cursor

    window = make_window(AppModel(), size=SMALL)
    window.show_tab("Equations")
    window.app.set_cursor(Cursor(phase, t))
    settle(window)
    with presenting(window):
        view = next(v for v in window.current_views() if v.name == "equations")
        port = view.scroll.viewport()
        card = view.board.focus_rect()
        assert card is not None and card.height() <= port.height()
        top = view.board.mapTo(port, card.topLeft().toPoint()).y()
        assert 0 <= top and top + card.height() <= port.height() + 1, \
            f"the framed card spans {top}..{top + card.height():.0f} of {port.height()} px"
