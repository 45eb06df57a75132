"""Train the `digits` demo's small CNN on scikit-learn's handwritten digits and save what ships.

    pip install -e ".[train]"        # scikit-learn and PyTorch (CPU), for this script only
    python scripts/train_digits.py   # about half a minute on one CPU core

The data is scikit-learn's bundled copy of the UCI handwritten digits (1797 digits of 8×8
cells, 0 to 16): it ships inside scikit-learn, so nothing is downloaded. Each digit is
upsampled to 16×16 (bilinear), scaled to 0…1 and rounded to hundredths, so that the cells
read well in the window; 20 % of the digits (stratified) are held out as the test set.

The network (``nn.Sequential``, PyTorch's own modules, as the window shows them):

    conv 4 × 3×3 (padding 1) → ReLU → max pool 2 → conv 8 × 3×3 (padding 1) → ReLU
    → max pool 2 → flatten → linear 128 → 10

Training is reproducible: fixed seeds, one thread, deterministic algorithms. After training
the weights are rounded to hundredths (readable in the Kernel dock) and the test accuracy is
measured with exactly those weights, in float64, as convviz computes. Written:

- ``convviz/data/digits.safetensors``: the weights as float32, named as this script's module
  names them (``conv1.weight`` …), for File → Open weights and for PyTorch;
- ``convviz/data/digits.npz``: the same weights as float64 (the demo reads them with NumPy
  alone), the test digits (hundredths, as whole numbers 0…100), their labels, this script's
  predictions for them, its test accuracy, and which test digit the demo opens with.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from pathlib import Path

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from safetensors.numpy import save_file
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from torch import nn
except ImportError as error:
    sys.exit(
        f"train_digits.py needs {error.name}: install what it needs with\n"
        '    pip install -e ".[train]"\n'
        "(scikit-learn and PyTorch; convviz itself needs neither)"
    )

SEED = 0
SIDE = 16  # cells a side after upsampling
EPOCHS = 40
BATCH = 64
DEMO_LABEL = 5  # the demo opens on a test digit of this class that the network gets right
DATA = Path(__file__).resolve().parent.parent / "convviz" / "data"


def network() -> nn.Sequential:
    """The demo's CNN; its layers are the ones the window steps."""
    return nn.Sequential(
        OrderedDict(
            conv1=nn.Conv2d(1, 4, 3, padding=1),
            relu1=nn.ReLU(),
            pool1=nn.MaxPool2d(2),
            conv2=nn.Conv2d(4, 8, 3, padding=1),
            relu2=nn.ReLU(),
            pool2=nn.MaxPool2d(2),
            flatten=nn.Flatten(),
            linear=nn.Linear(8 * (SIDE // 4) ** 2, 10),
        )
    )


def digits() -> tuple[np.ndarray, np.ndarray]:
    """Every digit as 16×16 whole hundredths (0…100), and its label."""
    data = load_digits()
    small = torch.from_numpy(data.images / 16.0)[:, None]
    big = F.interpolate(small, size=(SIDE, SIDE), mode="bilinear", align_corners=False)
    hundredths = np.clip(np.round(big[:, 0].numpy() * 100), 0, 100).astype(np.uint8)
    return hundredths, data.target.astype(np.uint8)


def shifted(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Each digit moved by up to one cell in each direction (zeros come in at the edges), so
    that a digit drawn a little off-centre in the window is still read."""
    out = torch.zeros_like(batch)
    moves = torch.randint(-1, 2, (len(batch), 2), generator=generator)
    for i, (dy, dx) in enumerate(moves.tolist()):
        out[i, :, max(dy, 0) : SIDE + min(dy, 0), max(dx, 0) : SIDE + min(dx, 0)] = batch[
            i, :, max(-dy, 0) : SIDE + min(-dy, 0), max(-dx, 0) : SIDE + min(-dx, 0)
        ]
    return out


def train(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> None:
    """Adam with a falling learning rate, shuffled mini-batches, shifted digits."""
    generator = torch.Generator().manual_seed(SEED)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, EPOCHS)
    for _ in range(EPOCHS):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), BATCH):
            pick = order[start : start + BATCH]
            loss = F.cross_entropy(model(shifted(x[pick], generator)), y[pick])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        schedule.step()


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    started = time.perf_counter()
    images, labels = digits()
    train_i, test_i = train_test_split(
        np.arange(len(labels)), test_size=0.2, random_state=SEED, stratify=labels
    )
    as_input = lambda i: torch.from_numpy(images[i] / 100.0)[:, None].float()  # noqa: E731
    model = network()
    train(model, as_input(train_i), torch.from_numpy(labels[train_i]).long())

    weights = {
        name: np.round(value.detach().numpy().astype(np.float64), 2)
        for name, value in model.state_dict().items()
    }
    exact = network().double()  # the rounded weights in float64: what convviz computes
    exact.load_state_dict({name: torch.from_numpy(v) for name, v in weights.items()})
    with torch.no_grad():
        test_x = torch.from_numpy(images[test_i] / 100.0)[:, None]
        predictions = exact(test_x).argmax(dim=1).numpy().astype(np.uint8)
    test_labels = labels[test_i]
    right = predictions == test_labels
    accuracy = float(right.mean())
    demo_index = int(np.flatnonzero(right & (test_labels == DEMO_LABEL))[0])

    DATA.mkdir(exist_ok=True)
    save_file(
        {name: v.astype(np.float32) for name, v in weights.items()},
        str(DATA / "digits.safetensors"),
        metadata={"test_accuracy": f"{accuracy:.4f}", "made_by": "scripts/train_digits.py"},
    )
    np.savez_compressed(
        DATA / "digits.npz",
        **weights,
        test_x=images[test_i],
        test_labels=test_labels,
        test_predictions=predictions,
        test_accuracy=np.float64(accuracy),
        demo_index=np.int64(demo_index),
    )
    parameters = sum(v.size for v in weights.values())
    print(f"trained on {len(train_i)} digits in {time.perf_counter() - started:.1f} s")
    print(f"{parameters} parameters; weights rounded to hundredths")
    print(f"test accuracy: {right.sum()} of {len(right)} = {accuracy:.2%}")
    print(f"wrote {DATA / 'digits.safetensors'} and {DATA / 'digits.npz'}")


if __name__ == "__main__":
    main()
