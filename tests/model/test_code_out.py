"""Every generated script runs on its own, in a fresh Python, and leaves in ``y`` the map the
engine computes: every demo, and documents with random settings and layers, in both languages.

Starting Python (and importing torch) costs more than a script, so the scripts of one test run
one after another in a single fresh interpreter, each in its own folder and namespace, run
from another folder (a script finds the arrays saved beside it itself).
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from convviz.engine import DEMOS, ActivationLayer, ConvLayer, PoolLayer
from convviz.model import ConvSettings, Document, Pipeline
from convviz.model.code_out import INLINE_LIMIT, LANGUAGES, script_for
from convviz.model.pytorch_code import conv_code

RUNNER = textwrap.dedent(
    """
    import json, os, runpy, sys, traceback
    import numpy as np

    results = {}
    for folder in sys.argv[1:]:  # run from elsewhere: a script finds its files itself
        try:
            namespace = runpy.run_path(os.path.join(folder, "script.py"), run_name="__main__")
            np.save(os.path.join(folder, "y.npy"), namespace["y"])
            results[folder] = "ok"
        except BaseException:
            results[folder] = traceback.format_exc()
    results["convviz imported"] = "convviz" in sys.modules
    print(json.dumps(results))
    """
)


def run_scripts(tmp_path, documents, lang, **options) -> list[np.ndarray]:
    """Write each document's script (and its side files) to a folder of its own, run them all
    in one fresh interpreter, and return each script's ``y``."""
    folders = []
    for number, document in enumerate(documents):
        folder = tmp_path / f"{lang}-{number}"
        folder.mkdir()
        script = script_for(document, lang, **options)
        (folder / "script.py").write_text(script.text, encoding="utf-8")
        for name, values in script.files.items():
            np.save(folder / name, values)
        folders.append(str(folder))
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *folders],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results.pop("convviz imported") is False  # the scripts stand alone
    failures = {f: text for f, text in results.items() if text != "ok"}
    assert not failures, "\n".join(
        f"{folder}:\n{(tmp_path / folder / 'script.py').read_text()}\n{text}"
        for folder, text in failures.items()
    )
    return [np.load(f"{folder}/y.npy") for folder in folders]


def assert_maps_equal(documents, ys):
    for document, y in zip(documents, ys, strict=True):
        expected = Pipeline.of(document).outputs[-1]
        assert y.shape == expected.shape
        scale = max(1.0, float(np.abs(expected).max()))
        np.testing.assert_allclose(y, expected, rtol=1e-11, atol=1e-11 * scale)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_demo_computes_the_map_the_window_shows(tmp_path, lang):
    documents = [Document.from_demo(name) for name in DEMOS]
    assert_maps_equal(documents, run_scripts(tmp_path, documents, lang))


# -- documents with random settings --------------------------------------------------------------
def _activation(rng) -> ActivationLayer:
    name = str(rng.choice(["relu", "leaky_relu", "sigmoid", "tanh"]))
    if name == "leaky_relu" and rng.random() < 0.7:
        return ActivationLayer(name, {"negative_slope": round(float(rng.uniform(-1, 1)), 3)})
    return ActivationLayer(name)


def _padding(rng, nd: int):
    form = rng.choice(["valid", "same", "full", "int", "pairs"])
    if form == "int":
        return int(rng.integers(0, 3))
    if form == "pairs":
        return [tuple(int(v) for v in rng.integers(0, 3, 2)) for _ in range(nd)]
    return str(form)


def _conv_settings(rng, nd: int, groups: int) -> dict:
    return {
        "stride": [int(v) for v in rng.integers(1, 3, nd)],
        "padding": _padding(rng, nd),
        "dilation": [int(v) for v in rng.integers(1, 3, nd)],
        "padding_mode": str(rng.choice(["zeros", "reflect", "replicate", "circular"])),
        "flip": bool(rng.random() < 0.5),
        "groups": groups,
    }


def _pool(rng, nd: int) -> PoolLayer:
    kind = str(rng.choice(["max", "avg"]))
    kernel = tuple(int(v) for v in rng.integers(1, 4, nd))
    stride = None if rng.random() < 0.3 else tuple(int(v) for v in rng.integers(1, 3, nd))
    padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
    dilation = tuple(int(v) for v in rng.integers(1, 3, nd)) if kind == "max" else 1
    return PoolLayer(
        kind, kernel, stride, padding, dilation, bool(rng.random() < 0.5), bool(rng.random() < 0.5)
    )


def random_document(rng) -> Document:
    """A document with random sizes, settings and layers after it (it may not compute)."""
    nd = int(rng.choice([1, 2, 2, 3]))
    biggest = {1: 14, 2: 9, 3: 5}[nd]
    groups = int(rng.integers(1, 3))
    channels, filters = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
    x = rng.uniform(-5, 5, (channels, *rng.integers(2, biggest + 1, nd)))
    weight = rng.uniform(-2, 2, (filters, channels // groups, *rng.integers(1, 4, nd)))
    settings = ConvSettings.from_kwargs(nd, **_conv_settings(rng, nd, groups))
    layers = []
    for _ in range(int(rng.integers(0, 4))):
        kind = rng.choice(["activation", "pool", "conv"])
        if kind == "activation":
            layers.append(_activation(rng))
        elif kind == "pool":
            layers.append(_pool(rng, nd))
        else:
            next_filters = int(rng.integers(1, 3))
            kernel = rng.integers(1, 3, nd)
            layer_weight = rng.uniform(-1, 1, (next_filters, filters, *kernel))
            bias = rng.uniform(-1, 1, next_filters) if rng.random() < 0.5 else None
            layers.append(ConvLayer(layer_weight, bias, _conv_settings(rng, nd, 1)))
            filters = next_filters
    bias = rng.uniform(-3, 3, weight.shape[0])
    return Document(x, weight, bias, bool(rng.random() < 0.5), settings, tuple(layers))


def random_documents(seed: int, count: int) -> list[Document]:
    """``count`` random documents that compute whole (the others are drawn again)."""
    rng = np.random.default_rng(seed)
    documents = []
    while len(documents) < count:
        document = random_document(rng)
        pipeline = Pipeline.of(document)
        if not pipeline.problem and not pipeline.stack_problem:
            documents.append(document)
    return documents


@pytest.mark.parametrize("lang", LANGUAGES)
def test_random_settings_and_layers_compute_what_the_engine_computes(tmp_path, lang):
    documents = random_documents(seed=15, count=40)
    assert_maps_equal(documents, run_scripts(tmp_path, documents, lang))


# -- what the scripts hold -----------------------------------------------------------------------
def test_the_torch_script_uses_the_modules_the_window_shows():
    """The window's PyTorch line and the script come from the same pieces: every stage's module
    is in the script, and padding PyTorch's module cannot do is the same F.pad in both."""
    documents = [Document.from_demo(name) for name in DEMOS] + random_documents(7, 20)
    padded = 0
    for document in documents:
        text = script_for(document, "torch").text
        pipeline = Pipeline.of(document)
        for index in range(len(pipeline.stage_starts)):
            stage = pipeline.stage(index)
            code = stage.pytorch_code()
            if index == 0:  # as the Parameters dock builds it: the padding as asked for
                geometry, padding = stage.stepper.geometry, document.settings.padding
                code = conv_code(geometry, padding, stage.use_bias, stage.activations)
                assert code == pipeline.pytorch_code(0)
            assert f"{code.module}," in text
            assert all(f"{a.module()}," in text for a in code.activations)
            if code.padding:
                padded += 1
                assert f"F.pad(x, {code.padding.arguments()})" in code.line()
                assert f"Pad({code.padding.arguments()})," in text
    assert padded  # the documents include padding that only F.pad can do


def test_small_arrays_are_written_out_and_large_ones_saved_beside():
    cs231n = script_for(Document.from_demo("cs231n"), "numpy")
    assert cs231n.files == {} and "np.load" not in cs231n.text
    letter_h = script_for(Document.from_demo("letter-h"), "torch", name="h")
    assert sorted(letter_h.files) == ["h_expected.npy", "h_x.npy"]  # 256 numbers each
    assert all(values.size > INLINE_LIMIT for values in letter_h.files.values())
    assert 'x = np.load(HERE / "h_x.npy")' in letter_h.text
    assert "weight1 = np.array([" in letter_h.text  # the 3×3 kernel is small
    np.testing.assert_array_equal(letter_h.files["h_x.npy"], Document.from_demo("letter-h").x)


def test_everything_inline_for_a_clipboard(tmp_path):
    documents = [Document.from_demo("tiny-cnn"), Document.from_demo("heartbeat")]
    for document in documents:
        script = script_for(document, "numpy", inline_limit=None)
        assert script.files == {} and "np.load" not in script.text
    assert_maps_equal(documents, run_scripts(tmp_path, documents, "numpy", inline_limit=None))


def test_the_numpy_script_needs_numpy_alone():
    for name in DEMOS:
        text = script_for(Document.from_demo(name), "numpy").text
        imports = [line for line in text.splitlines() if line.startswith(("import", "from"))]
        assert set(imports) <= {"import numpy as np", "from pathlib import Path"}
        assert "torch" not in text and "scipy" not in text


def test_generating_code_loads_no_torch():
    check = (
        "import sys; from convviz.model import Document; "
        "from convviz.model.code_out import script_for; "
        "script_for(Document.from_demo('tiny-cnn'), 'torch'); "
        "assert 'torch' not in sys.modules, 'torch was imported'"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_what_cannot_be_written_is_refused_in_words():
    document = Document.from_demo("cs231n")
    with pytest.raises(ValueError, match="unknown language 'julia'; choose one of torch, numpy"):
        script_for(document, "julia")
    too_big = document.replace(weight=np.ones((2, 3, 9, 9)))
    with pytest.raises(ValueError, match="does not fit"):  # the pipeline's own sentence
        script_for(too_big, "torch")
    broken_stack = document.replace(layers=(PoolLayer("max", (5, 5)),))
    with pytest.raises(ValueError, match="layer 2"):
        script_for(broken_stack, "numpy")
