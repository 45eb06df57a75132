"""The same convolution computed by PyTorch, for comparison."""

import numpy as np
import torch
import torch.nn.functional as F

from convviz.engine import conv_geometry

_TORCH_MODE = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}


def torch_conv(x, weight, bias=None, **settings):
    """``torch.nn.functional.conv*d`` after ``F.pad``, with convviz's argument names."""
    geometry = conv_geometry(np.shape(x), np.shape(weight), **settings)
    nd = geometry.nd
    xt = torch.tensor(np.asarray(x, dtype=np.float64).copy())
    batched = xt.ndim == nd + 2
    if not batched:
        xt = xt[None]
    wt = torch.tensor(np.asarray(weight, dtype=np.float64).copy())
    if geometry.flip:
        wt = torch.flip(wt, dims=list(range(2, 2 + nd)))
    pad_list = [v for pair in reversed(geometry.pads) for v in pair]
    if any(pad_list):
        mode = _TORCH_MODE[geometry.padding_mode]
        if mode == "constant":
            xt = F.pad(xt, pad_list, mode=mode, value=0.0)
        else:
            xt = F.pad(xt, pad_list, mode=mode)
    bt = None if bias is None else torch.tensor(np.asarray(bias, dtype=np.float64).copy())
    fn = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[nd]
    out = fn(
        xt, wt, bt, stride=geometry.stride, dilation=geometry.dilation, groups=geometry.groups
    ).numpy()
    return out if batched else out[0]
