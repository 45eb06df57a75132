"""The frequency lens: the spectra of the input and the kernel, their product, and its inverse
beside the direct result (images for a 2-D input, curves for a signal)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ....colormaps import value_range
from ....model.lenses import frequency_picture
from ...widgets.grid_view import GridView
from ...widgets.overlays import WINDOW, outline
from ...widgets.signal_plot import FILTER_COLOURS, SignalPlot
from .lens_view import LensView

ROUTE_TEXTS = {
    None: "as the padding suggests",
    "full": "padded to N + K − 1 (no wrap-around)",
    "circular": "N cells (wraps around)",
}
PANELS = (
    ("input", "input |X| (log)"),
    ("kernel", "kernel |H| (log)"),
    ("product", "product |X·H| (log)"),
    ("via_fft", "inverse FFT of the product"),
    ("direct", "computed directly"),
    ("difference", "FFT − direct, same scale (white: 0)"),
)


def coloured_names(*names: str) -> str:
    """Plot-title HTML naming each curve in its colour (curves take ``FILTER_COLOURS`` in
    order)."""
    return ", ".join(
        f'<span style="color:{FILTER_COLOURS[i]}">{name}</span>' for i, name in enumerate(names)
    )


def log_magnitude(spectrum: np.ndarray) -> np.ndarray:
    """``log10(1 + |S|)``: spectra span many orders of magnitude."""
    return np.log10(1.0 + np.abs(spectrum))


class FrequencyView(LensView):
    """Six small pictures, the route chooser, and the convolution theorem in words."""

    lens = "frequency"

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.route = QComboBox()
        for route, text in ROUTE_TEXTS.items():
            self.route.addItem(text, route)
        self.route.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.route.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.route.setMinimumContentsLength(8)
        self.route.setToolTip("Pad the transform to avoid wrap-around, or let it wrap")
        self.route.activated.connect(self._on_view_route_chosen)
        top = QHBoxLayout()
        top.addWidget(QLabel("Transform size:"))
        top.addWidget(self.route, 1)
        self.images: dict[str, GridView] = {}
        self.titles: dict[str, QLabel] = {}
        self.pictures = QWidget()
        grid = QGridLayout(self.pictures)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (name, title) in enumerate(PANELS):
            label = QLabel(title)
            view = GridView()
            view.setMinimumSize(80, 80)
            grid.addWidget(label, (i // 3) * 2, i % 3)
            grid.addWidget(view, (i // 3) * 2 + 1, i % 3)
            self.images[name], self.titles[name] = view, label
        self.cells = {name: outline(WINDOW, 3, 30) for name in ("via_fft", "direct")}
        for name, item in self.cells.items():
            self.images[name].box.addItem(item)
        self.spectra_plot = SignalPlot(coloured_names("input |X|", "product |X·H|") + " (log)")
        self.gain_plot = SignalPlot(
            coloured_names("kernel |H|") + ": how much of each frequency passes"
        )
        self.result_plot = SignalPlot(coloured_names("inverse FFT", "computed directly"))
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pictures, 1)
        layout.addWidget(self.spectra_plot, 1)
        layout.addWidget(self.gain_plot, 1)
        layout.addWidget(self.result_plot, 1)
        self.picture = None

    def _on_view_route_chosen(self, index: int) -> None:
        self.session.view.set(frequency_route=self.route.itemData(index))

    def _on_model_view_changed(self, name: str) -> None:
        super()._on_model_view_changed(name)
        if name == "frequency_route" and self.active:
            self.refresh()

    def draw(self) -> None:
        s = self.session
        p = frequency_picture(s.stage, s.current, s.view.channel, s.view.frequency_route)
        self.picture = p
        with QSignalBlocker(self.route):
            self.route.setCurrentIndex(self.route.findData(s.view.frequency_route))
        one_d = p.direct.ndim == 1
        self.pictures.setVisible(not one_d)
        for plot in (self.spectra_plot, self.gain_plot, self.result_plot):
            plot.setVisible(one_d)
        if one_d:
            half = len(p.direct) // 2  # zero frequency in the middle
            spectra = np.stack([log_magnitude(p.input_spectrum), log_magnitude(p.product_spectrum)])
            self.spectra_plot.show_signals(spectra, x0=-half)
            self.gain_plot.show_signals(p.kernel_spectrum[None], x0=-half)
            self.result_plot.show_signals(np.stack([p.via_fft, p.direct]))
        else:
            arrays = {
                "input": log_magnitude(p.input_spectrum),
                "kernel": log_magnitude(p.kernel_spectrum),
                "product": log_magnitude(p.product_spectrum),
                "via_fft": p.via_fft,
                "direct": p.direct,
                "difference": p.via_fft - p.direct,
            }
            result_levels = value_range(p.direct, "symmetric")
            for name, values in arrays.items():
                signed = name in ("via_fft", "direct", "difference")
                levels = result_levels if signed else value_range(values, "data")
                self.images[name].show_values(
                    values, levels=levels, colormap=self.colormap, labels=False
                )
            for item in self.cells.values():
                if p.cell is None:
                    item.hide()
                else:
                    item.setRect(p.cell[1] - 0.5, p.cell[0] - 0.5, 1, 1)
                    item.show()
        channel = (
            f"Spectra of input channel {p.channel + 1} and filter {p.filter + 1}'s kernel. "
            if s.stage.stepper.geometry.channels > 1 or s.stage.stepper.geometry.filters > 1
            else ""
        )
        theorem = (
            "The convolution theorem: convolving is multiplying spectra, so FFT, multiply and "
            "inverse FFT give the same map as sliding the kernel."
        )
        # The checks right under the theorem: below the transform's size they had scrolled
        # out of a projector's view, and they are the proof.
        self.set_words([theorem, *p.checks, channel + p.words[0], *p.words[1:]], bold=0)
