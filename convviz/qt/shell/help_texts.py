"""Help → Guide and Help → About: a short walk through the window, and the versions."""

from __future__ import annotations

GUIDE = """\
<h3>convviz in one minute</h3>
<ol>
<li><b>Input</b> (left): the numbers the convolution reads, with its padding hatched around
them. Click a cell to see every output that uses it; type a number into it to change it;
or choose Brush or Eraser over it and paint with the mouse (one undo per stroke).</li>
<li><b>Computation</b> (middle): for the window shown, the window's numbers × the kernel =
the products, then their sum (+ bias, then any activation) = one output cell.</li>
<li><b>Feature map</b> (right): the outputs, filled in one window at a time. Click a cell to
jump to the step that computes it.</li>
<li><b>Stepping</b>: → or Space (play); Shift+→ a whole row; N the next window that reads
something other than zeros; P to predict each cell before it is revealed.</li>
<li><b>Kernel</b>, <b>Parameters</b>, <b>Layers</b> (right side): edit the kernel; set stride,
padding, dilation, groups and the activation (the output-size formula shows the numbers, and
the PyTorch line carries them into a network); stack pooling and more convolutions, then step
any layer (L).</li>
<li><b>Lenses</b> (View → Lens, Ctrl+1 to Ctrl+9, or the box over the middle): the same
numbers drawn another way while the step stays: the unfolded (im2col) matrix product, the
convolution as one matrix <i>y = M x</i>, the frequency view (the convolution theorem), a
kernel split into two 1-D passes, three ways of computing compared, the backward pass, the
transposed convolution, and a kernel learned by gradient descent.</li>
<li><b>Files</b>: save and open projects; export pictures, data and animations; drop a
project, an image or a CSV on the window. Every edit can be undone (Ctrl+Z).</li>
</ol>
<p><b>Counting</b>: steps, filters, channels and layers are counted from 1 (step 1 is the first
window, filter 1 the first map); rows, columns and depths are positions and start at 0, as
NumPy and PyTorch index them (row −1 is padding above row 0). CSV files and captions count the
same way.</p>
<p>F1 lists every key; F11 is presentation mode for a lecture.</p>
"""


def about_text() -> str:
    """convviz's version and the versions it runs on (for a bug report)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    import numpy
    import pyqtgraph
    import PySide6

    try:
        ours = version("convviz")
    except PackageNotFoundError:
        ours = "(not installed)"
    return (
        f"<h3>convviz {ours}</h3>"
        "<p>See and teach convolution: every number equals what PyTorch and SciPy compute.</p>"
        f"<p>Python {platform.python_version()}, NumPy {numpy.__version__}, "
        f"PySide6 {PySide6.__version__}, pyqtgraph {pyqtgraph.__version__}</p>"
    )
