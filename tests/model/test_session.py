"""The session without a window: stepping, edits, undo/redo, impossible settings."""

import numpy as np
import pytest

from convviz.engine import conv, demo
from convviz.model import Session, fmt, parse_block, parse_number


@pytest.fixture
def session():
    s = Session("letter-h")
    return s


def test_starts_on_letter_h_ready_to_play(session):
    assert (
        session.playhead.steps == 256
        and session.playhead.position == 0
        and not session.playhead.revealed
    )
    assert np.isnan(session.feature_map()).all()
    assert session.caption().startswith("step 0 of 256")


def test_stepping_fills_the_map_in_order(session):
    d = demo("letter-h")
    full = conv(d.x, d.weight, **d.settings)
    session.playhead.step_forward(20)
    fmap = session.feature_map()
    assert np.isfinite(fmap.reshape(-1)[:20]).all() and np.isnan(fmap.reshape(-1)[20:]).all()
    assert session.current.out_index == (1, 3)
    assert session.current.output == pytest.approx(full[0, 1, 3])
    session.playhead.row_forward()
    assert session.playhead.position == 36
    session.playhead.step_back(100)
    assert session.playhead.position == 0
    session.playhead.run_to_end()
    np.testing.assert_allclose(session.feature_map(), full)
    session.playhead.step_forward()
    assert session.playhead.position == 256


def test_events_fire_once_per_change(session):
    seen = []
    session.playhead.moved.connect(lambda stage: seen.append(("moved", stage)))
    session.document_changed.connect(lambda: seen.append("document"))
    session.view.changed.connect(lambda name: seen.append(name))
    session.playhead.set_position(5)
    session.playhead.set_position(5)
    assert seen == [("moved", False)]
    session.edits.edit_cells("input", 0, 0, 0, [[3]])  # an edit: one event, not a step too
    assert seen == [("moved", False), "document"]
    session.view.set(colormap="viridis")
    session.view.set(colormap="viridis")
    assert seen[-1] == "colormap" and seen.count("colormap") == 1


def test_cell_edit_updates_map_and_keeps_position_and_undoes(session):
    history = session.history
    session.playhead.set_position(40)
    session.edits.edit_cells("input", 0, 2, 2, [[4.0]])
    assert session.document.x[0, 2, 2] == 4 and session.playhead.position == 40
    assert session.pipeline.stepper.output[0, 2, 2] == pytest.approx(0.8)
    history.undo()
    assert session.document.x[0, 2, 2] == 0
    assert session.pipeline.stepper.output[0, 2, 2] == 0
    history.redo()
    assert session.document.x[0, 2, 2] == 4


def test_paste_block_is_clipped_at_the_edge_and_is_one_edit(session):
    history = session.history
    session.edits.edit_cells("input", 0, 14, 14, parse_block("1\t2\t3\n4\t5\t6\n7\t8\t9"))
    assert session.document.x[0, 14:, 14:].tolist() == [[1, 2], [4, 5]]
    assert len(history.done) == 1 and history.done[0][0].text == "Set input 2×2 cells"
    history.undo()
    assert session.document.x[0, 14:, 14:].sum() == 0


def test_impossible_setting_keeps_the_last_valid_picture(session):
    history = session.history
    session.playhead.set_position(10)
    session.edits.change_settings("Set dilation", dilation=(9, 9), padding="valid")
    assert "does not fit" in session.problem
    assert (
        session.playhead.steps == 256 and session.playhead.position == 10
    )  # the old stepper stays
    assert session.document.settings.dilation == (9, 9)  # what the user asked for is kept
    history.undo()
    assert session.problem is None and session.document.settings.dilation == (1, 1)


def test_position_is_clamped_when_the_map_shrinks(session):
    session.playhead.run_to_end()
    session.edits.change_settings("Set stride", stride=(2, 2))
    assert session.playhead.steps == 64 and session.playhead.position == 64


def test_kernel_edit_and_bias(session):
    session.edits.change("Set kernel", weight=np.ones((1, 1, 2, 2)))
    assert session.pipeline.stepper.geometry.kernel == (2, 2)
    session.edits.change("Use bias", use_bias=True, bias=np.array([0.5]))
    session.playhead.run_to_end()
    d = demo("letter-h")
    np.testing.assert_allclose(
        session.feature_map(), conv(d.x, np.ones((1, 1, 2, 2)), [0.5], padding="same")
    )


def test_jump_to_output_cell(session):
    session.jump_to(0, (3, 4))
    assert session.current.out_index == (3, 4) and session.playhead.position == 3 * 16 + 5


def test_every_demo_loads(session):
    for name in ("edges", "cs231n", "signal-1d", "letter-h"):
        session.load_demo(name)
        session.playhead.run_to_end()
        d = demo(name)
        np.testing.assert_allclose(session.feature_map(), conv(d.x, d.weight, d.bias, **d.settings))


def test_signal_grid_is_one_row(session):
    session.load_demo("signal-1d")
    assert session.grid("input").shape == (1, 5)
    session.edits.edit_cells("input", 0, 0, 4, [[10]])
    assert session.document.x[0].tolist() == [0, 1, 2, 3, 10]


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("-0.5", -0.5), ("−2", -2), ("1/4", 0.25), (" 1e-3 ", 0.001), ("2,5", 2.5)],
)
def test_typed_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "words"), [("abc", "'abc' is not a number"), ("", "empty"), ("1/0", "divides by zero")]
)
def test_typos_get_short_messages(text, words):
    with pytest.raises(ValueError, match=words):
        parse_number(text)


def test_paste_parsing():
    assert parse_block("1,2\n3,4\n").tolist() == [[1, 2], [3, 4]]
    assert parse_block("1 2 3").tolist() == [[1, 2, 3]]
    with pytest.raises(ValueError, match="row 2 of the pasted block: 'x'"):
        parse_block("1\t2\nx\t3")
    with pytest.raises(ValueError, match="different lengths"):
        parse_block("1\t2\n3")


def test_number_formatting():
    assert [fmt(v) for v in (3.0, 0.6000000001, -1.25, 0.0, -0.0, 1e7, float("nan"))] == [
        "3",
        "0.6",
        "−1.25",
        "0",
        "0",
        "1.00e+07",
        "NaN",
    ]


def test_grid_operations_are_undoable(session):
    history = session.history
    session.edits.resize_input((5, 6))
    assert session.document.x.shape == (1, 5, 6) and session.playhead.steps == 30
    session.edits.fill_input("checkerboard")
    assert session.document.x[0, 0, 0] == 1 and session.document.x[0, 0, 1] == 0
    session.edits.resize_kernel((2, 4))
    assert session.document.weight.shape == (1, 1, 2, 4)
    session.edits.set_kernel_preset("sobel-x")
    assert session.document.weight[0, 0].tolist() == [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    session.edits.change("kernel", weight=np.ones((1, 1, 2, 2)))
    session.edits.normalise_kernel()
    assert session.document.weight.sum() == pytest.approx(1)
    session.edits.randomise_kernel(seed=1)
    assert np.all(np.abs(session.document.weight) <= 1)
    for _ in range(7):
        history.undo()
    assert session.document.x.shape == (1, 16, 16)
    np.testing.assert_array_equal(session.document.weight, demo("letter-h").weight)


def test_kernel_that_sums_to_zero_cannot_be_normalised(session):
    session.edits.set_kernel_preset("laplacian")
    with pytest.raises(ValueError, match="sum to 0"):
        session.edits.normalise_kernel()


def test_resizing_the_input_below_the_kernel_reports_a_problem(session):
    session.edits.change_settings("valid", padding="valid")
    session.edits.resize_input((2, 2))
    assert "does not fit" in session.problem and session.document.x.shape == (1, 2, 2)


def test_predict_then_reveal(session):
    session.playhead.set_predict(True)
    session.playhead.set_position(10)
    session.playhead.step_forward()
    assert session.playhead.position == 10 and session.playhead.waiting
    assert session.current.index == 10  # the next window, shown before its output
    assert np.isnan(session.feature_map().reshape(-1)[10])
    assert "what will it be?" in session.caption()
    session.playhead.step_forward()
    assert (
        session.playhead.position == 11
        and session.playhead.revealed
        and session.current.index == 10
    )
    assert np.isfinite(session.feature_map().reshape(-1)[10])
    session.playhead.step_forward()
    session.playhead.set_predict(False)
    assert not session.playhead.waiting and session.current.index == 10
    session.playhead.run_to_end()
    session.playhead.set_predict(True)
    session.playhead.step_forward()
    assert session.playhead.revealed and session.playhead.finished


def test_replacing_the_input_with_colour_channels(session):
    history = session.history
    rgb = np.random.default_rng(0).integers(0, 256, size=(3, 10, 12)).astype(float)
    session.edits.replace_input(rgb, "Import photo")
    assert session.document.weight.shape == (1, 3, 3, 3)
    np.testing.assert_array_equal(session.document.weight[0, 2], demo("letter-h").weight[0, 0])
    session.playhead.run_to_end()
    np.testing.assert_allclose(
        session.feature_map(), conv(rgb, session.document.weight, padding="same")
    )
    history.undo()
    assert session.document.x.shape == (1, 16, 16) and session.document.weight.shape == (1, 1, 3, 3)


def test_filters_groups_and_biases():
    s = Session("cs231n")
    history = s.history
    assert s.document.parameter_count() == 2 * 3 * 9 + 2
    s.edits.add_filter()
    assert s.document.weight.shape == (3, 3, 3, 3) and s.document.bias.tolist() == [1, 0, 0]
    s.edits.set_bias(2, 0.5)
    s.edits.set_groups(3)  # depthwise: each filter sees one channel
    assert s.document.weight.shape == (3, 1, 3, 3) and s.document.settings.groups == 3
    s.playhead.run_to_end()
    np.testing.assert_allclose(
        s.feature_map(),
        conv(s.document.x, s.document.weight, s.document.bias, groups=3, stride=2, padding=1),
    )
    with pytest.raises(ValueError, match="choose one of 1, 3"):
        s.edits.set_groups(2)
    s.edits.remove_filter(0)  # 2 filters do not split into 3 groups: back to groups=1
    assert s.document.settings.groups == 1 and s.document.weight.shape == (2, 3, 3, 3)
    for _ in range(4):
        history.undo()
    assert s.document.weight.shape == (2, 3, 3, 3) and s.document.bias.tolist() == [1, 0]
    with pytest.raises(ValueError, match="at least one filter"):
        Session().edits.remove_filter(0)


def test_kernel_channel_cells_are_editable():
    s = Session("cs231n")
    s.edits.edit_cells("kernel", (1, 2), 0, 0, [[9.0]])
    assert s.document.weight[1, 2, 0, 0] == 9 and s.grid("kernel", (1, 2))[0, 0] == 9


def test_activation_after_the_convolution(session, tmp_path):
    from convviz.engine import activate
    from convviz.model import load_project, save_project

    history = session.history
    session.edits.set_kernel_preset("sobel-x")
    session.edits.set_activation("relu")
    session.playhead.run_to_end()
    raw = session.pipeline.stepper.output
    assert raw.min() < 0
    np.testing.assert_array_equal(session.feature_map(), np.maximum(raw, 0))
    session.edits.set_activation("sigmoid")
    np.testing.assert_allclose(session.final_map(), activate("sigmoid", raw))
    path = save_project(tmp_path / "a.convviz", session.to_project())
    other = Session()
    other.open_project(load_project(path))
    assert other.document.activation == "sigmoid"
    assert [type(v).__name__ for v in other.document.layers] == ["ActivationLayer"]
    history.undo()
    history.undo()
    assert session.document.activation == "none"
    with pytest.raises(ValueError, match="unknown activation"):
        session.edits.set_activation("softmax")


def test_a_single_int_setting_means_every_axis_as_in_pytorch():
    from convviz.model.settings import ConvSettings

    settings = ConvSettings().with_changes(stride=2, dilation=3, padding=1)
    assert settings.stride == (2, 2) and settings.dilation == (3, 3)
    assert settings.padding == ((1, 1), (1, 1))
    assert ConvSettings().with_changes(padding=(1, (0, 2))).padding == ((1, 1), (0, 2))
    assert ConvSettings().with_changes(padding="same").padding == "same"
