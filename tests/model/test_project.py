"""Project files round-trip every field, save atomically, and refuse bad files in words."""

import json
import os

import numpy as np
import pytest

from convviz.model import ProjectError, Session, load_project, save_project
from convviz.model.project import project_json


@pytest.mark.parametrize("name", ["letter-h", "edges", "cs231n", "signal-1d"])
def test_round_trip_every_demo(tmp_path, name):
    s = Session(name)
    s.playhead.set_position(3)
    path = save_project(tmp_path / "p.convviz", s.to_project({"colormap": "viridis"}))
    project = load_project(path)
    t = Session()
    t.open_project(project)
    a, b = t.document, s.document
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.weight, b.weight)
    np.testing.assert_array_equal(a.bias, b.bias)
    assert (a.use_bias, a.settings, a.demo_name) == (b.use_bias, b.settings, name)
    assert t.playhead.position == 3
    assert project.view == {"colormap": "viridis"}
    np.testing.assert_array_equal(t.feature_map(), s.feature_map())


def test_edited_values_custom_padding_and_non_finite_numbers(tmp_path):
    s = Session()
    s.edits.edit_cells("input", 0, 0, 0, [[np.nan, np.inf, -np.inf, 0.125]])
    s.edits.change_settings("pad", padding=((0, 2), (1, 0)), padding_mode="reflect", stride=(1, 2))
    text = project_json(s.to_project())
    json.loads(text)  # strict JSON: NaN and infinities are written as strings
    assert "NaN" in text and "Infinity" in text
    path = tmp_path / "p.convviz"
    path.write_text(text)
    p = load_project(path)
    x, settings = p.document.x, p.document.settings
    assert np.isnan(x[0, 0, 0]) and x[0, 0, 1] == np.inf and x[0, 0, 2] == -np.inf
    assert settings.padding == ((0, 2), (1, 0)) and settings.stride == (1, 2)


def test_saving_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "p.convviz"
    save_project(path, Session().to_project())
    before = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        save_project(path, Session("cs231n").to_project())
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.convviz"]  # no temporary left behind


def _document():
    return json.loads(project_json(Session().to_project()))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.pop("weight"), "field 'weight' is missing"),
        (lambda d: d.update(version=7), "saved by a newer convviz (format 7)"),
        (lambda d: d.update(format="something"), "is not a convviz project"),
        (lambda d: d["input"][0].__setitem__(3, [1, 2]), "rectangular grid"),
        (lambda d: d["input"][0][0].__setitem__(0, "one"), "must hold numbers, found 'one'"),
        (lambda d: d.update(bias=[1, 2]), "'bias' needs one number per filter"),
        (lambda d: d["settings"].update(padding_mode="mirror"), "'settings.padding_mode'"),
        (lambda d: d["settings"].update(stride=[0, 1]), "the settings do not fit the data"),
        (lambda d: d["settings"].update(dilation=[1]), "'settings.dilation' needs 2"),
        (lambda d: d.update(weight=[[[1.0]]]), "do not fit"),
    ],
)
def test_hand_edited_mistakes_are_named(tmp_path, change, words):
    _assert_refused(tmp_path, _document(), change, words)


def _assert_refused(tmp_path, document, change, words):
    """``document`` changed by ``change`` is refused, naming the file and ``words``."""
    change(document)
    path = tmp_path / "bad.convviz"
    path.write_text(json.dumps(document))
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert "bad.convviz" in str(info.value) and words in str(info.value)


def test_truncated_binary_and_missing_files(tmp_path):
    text = project_json(Session().to_project())
    (tmp_path / "cut.convviz").write_text(text[: len(text) // 2])
    (tmp_path / "bin.convviz").write_bytes(b"\x89PNG\x00\xff\xfe")
    for name, words in [
        ("cut.convviz", "damaged or cut short"),
        ("bin.convviz", "not text"),
        ("none.convviz", "cannot open none.convviz"),
    ]:
        with pytest.raises(ProjectError, match=words):
            load_project(tmp_path / name)


def _document_with_layers():
    s = Session()
    s.edits.add_pool("max", 2)
    s.edits.add_conv(filters=2, size=3, seed=0)
    return json.loads(project_json(s.to_project()))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(layers={"type": "conv"}), "field 'layers' must be a list"),
        (lambda d: d["layers"][0].update(type="dropout"), "entry 1 needs a 'type'"),
        (lambda d: d["layers"][0].update(kind="min"), "entry 1: a pooling needs kind max"),
        (lambda d: d["layers"][0].update(kernel_size=[0, 2]), "entry 1: kernel_size"),
        (lambda d: d["layers"][1]["settings"].update(stride=[0, 1]), "entry 2: stride"),
        (lambda d: d["layers"][1]["settings"].update(bogus=1), "entry 2: unknown settings"),
        (lambda d: d["layers"][1].update(bias=[1, 2, 3]), "entry 2: the weight needs"),
        (lambda d: d["layers"][1].pop("weight"), "field 'weight' is missing"),
    ],
)
def test_hand_edited_layers_are_named(tmp_path, change, words):
    _assert_refused(tmp_path, _document_with_layers(), change, words)
