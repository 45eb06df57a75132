"""The session without a window: stepping, edits, undo/redo, impossible settings."""

import numpy as np
import pytest

from convviz.engine import conv, demo
from convviz.model import ConvSettings, History, Session, fmt, parse_block, parse_number


@pytest.fixture
def session():
    s = Session("letter-h")
    History(s)
    return s


def test_starts_on_letter_h_ready_to_play(session):
    assert session.steps == 256 and session.position == 0 and not session.revealed
    assert np.isnan(session.feature_map()).all()
    assert session.caption().startswith("step 0 of 256")


def test_stepping_fills_the_map_in_order(session):
    d = demo("letter-h")
    full = conv(d.x, d.weight, **d.settings)
    session.step_forward(20)
    fmap = session.feature_map()
    assert np.isfinite(fmap.reshape(-1)[:20]).all() and np.isnan(fmap.reshape(-1)[20:]).all()
    assert session.current.out_index == (1, 3)
    assert session.current.output == pytest.approx(full[0, 1, 3])
    session.row_forward()
    assert session.position == 36
    session.step_back(100)
    assert session.position == 0
    session.run_to_end()
    np.testing.assert_allclose(session.feature_map(), full)
    session.step_forward()
    assert session.position == 256


def test_events_fire_once_per_change(session):
    seen = []
    session.step_changed.connect(lambda: seen.append("step"))
    session.data_changed.connect(lambda: seen.append("data"))
    session.set_position(5)
    session.set_position(5)
    assert seen == ["step"]
    session.edit_cells("input", 0, 0, 0, [[3]])
    assert seen == ["step", "data", "step"]


def test_cell_edit_updates_map_and_keeps_position_and_undoes(session):
    history = History(session)
    session.set_position(40)
    session.edit_cells("input", 0, 2, 2, [[4.0]])
    assert session.x[0, 2, 2] == 4 and session.position == 40
    assert session.stepper.output[0, 2, 2] == pytest.approx(0.8)
    history.undo()
    assert session.x[0, 2, 2] == 0
    assert session.stepper.output[0, 2, 2] == 0
    history.redo()
    assert session.x[0, 2, 2] == 4


def test_paste_block_is_clipped_at_the_edge_and_is_one_edit(session):
    history = History(session)
    session.edit_cells("input", 0, 14, 14, parse_block("1\t2\t3\n4\t5\t6\n7\t8\t9"))
    assert session.x[0, 14:, 14:].tolist() == [[1, 2], [4, 5]]
    assert len(history.done) == 1 and history.done[0].text == "Set input 2×2 cells"
    history.undo()
    assert session.x[0, 14:, 14:].sum() == 0


def test_impossible_setting_keeps_the_last_valid_picture(session):
    history = History(session)
    session.set_position(10)
    session.change_settings("Set dilation", dilation=(9, 9), padding="valid")
    assert "does not fit" in session.problem
    assert session.output_size_text() == session.problem
    assert session.steps == 256 and session.position == 10  # the old stepper stays
    assert session.settings.dilation == (9, 9)  # what the user asked for is kept
    history.undo()
    assert session.problem is None and session.settings.dilation == (1, 1)


def test_position_is_clamped_when_the_map_shrinks(session):
    session.run_to_end()
    session.change_settings("Set stride", stride=(2, 2))
    assert session.steps == 64 and session.position == 64


def test_kernel_edit_and_bias(session):
    session.change("Set kernel", weight=np.ones((1, 1, 2, 2)))
    assert session.stepper.geometry.kernel == (2, 2)
    session.change("Use bias", use_bias=True, bias=np.array([0.5]))
    session.run_to_end()
    d = demo("letter-h")
    np.testing.assert_allclose(
        session.feature_map(), conv(d.x, np.ones((1, 1, 2, 2)), [0.5], padding="same")
    )


def test_jump_to_output_cell(session):
    session.jump_to(0, (3, 4))
    assert session.current.out_index == (3, 4) and session.position == 3 * 16 + 5


def test_every_demo_loads(session):
    for name in ("edges", "cs231n", "signal-1d", "letter-h"):
        session.load_demo(name)
        session.run_to_end()
        d = demo(name)
        np.testing.assert_allclose(session.feature_map(), conv(d.x, d.weight, d.bias, **d.settings))


def test_signal_grid_is_one_row(session):
    session.load_demo("signal-1d")
    assert session.grid("input").shape == (1, 5)
    session.edit_cells("input", 0, 0, 4, [[10]])
    assert session.x[0].tolist() == [0, 1, 2, 3, 10]


def test_settings_carry_over_to_pytorch_words():
    settings = ConvSettings.from_kwargs(2, stride=2, padding=1)
    assert settings.pytorch_call(2, ((1, 1), (1, 1))) == "nn.Conv2d(..., stride=2, padding=1)"
    same = ConvSettings(padding="same")
    assert same.pytorch_call(2, ((1, 1), (1, 1))) == "nn.Conv2d(..., padding='same')"
    strided_same = same.with_changes(stride=(2, 2))
    assert strided_same.pytorch_call(2, ((0, 1), (0, 1))) == (
        "nn.Conv2d(..., stride=2, padding=0)  # after x = F.pad(x, (0, 1, 0, 1))"
    )
    full = ConvSettings.from_kwargs(1, padding="full", flip=True)
    assert full.pytorch_call(1, ((2, 2),)).startswith("nn.Conv1d(..., padding=2)  # with the")


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
    history = History(session)
    session.resize_input((5, 6))
    assert session.x.shape == (1, 5, 6) and session.steps == 30
    session.fill_input("checkerboard")
    assert session.x[0, 0, 0] == 1 and session.x[0, 0, 1] == 0
    session.resize_kernel((2, 4))
    assert session.weight.shape == (1, 1, 2, 4)
    session.set_kernel_preset("sobel-x")
    assert session.weight[0, 0].tolist() == [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    session.change("kernel", weight=np.ones((1, 1, 2, 2)))
    session.normalise_kernel()
    assert session.weight.sum() == pytest.approx(1)
    session.randomise_kernel(seed=1)
    assert np.all(np.abs(session.weight) <= 1)
    for _ in range(7):
        history.undo()
    assert session.x.shape == (1, 16, 16)
    np.testing.assert_array_equal(session.weight, demo("letter-h").weight)


def test_kernel_that_sums_to_zero_cannot_be_normalised(session):
    session.set_kernel_preset("laplacian")
    with pytest.raises(ValueError, match="sum to 0"):
        session.normalise_kernel()


def test_resizing_the_input_below_the_kernel_reports_a_problem(session):
    session.change_settings("valid", padding="valid")
    session.resize_input((2, 2))
    assert "does not fit" in session.problem and session.x.shape == (1, 2, 2)


def test_predict_then_reveal(session):
    session.set_predict(True)
    session.set_position(10)
    session.step_forward()
    assert session.position == 10 and session.waiting
    assert session.current.index == 10  # the next window, shown before its output
    assert np.isnan(session.feature_map().reshape(-1)[10])
    assert "what will it be?" in session.caption()
    session.step_forward()
    assert session.position == 11 and session.revealed and session.current.index == 10
    assert np.isfinite(session.feature_map().reshape(-1)[10])
    session.step_forward()
    session.set_predict(False)
    assert not session.waiting and session.current.index == 10
    session.run_to_end()
    session.set_predict(True)
    session.step_forward()
    assert session.revealed and session.finished


def test_replacing_the_input_with_colour_channels(session):
    history = History(session)
    rgb = np.random.default_rng(0).integers(0, 256, size=(3, 10, 12)).astype(float)
    session.replace_input(rgb, "Import photo")
    assert session.weight.shape == (1, 3, 3, 3)
    np.testing.assert_array_equal(session.weight[0, 2], demo("letter-h").weight[0, 0])
    session.run_to_end()
    np.testing.assert_allclose(session.feature_map(), conv(rgb, session.weight, padding="same"))
    history.undo()
    assert session.x.shape == (1, 16, 16) and session.weight.shape == (1, 1, 3, 3)


def test_filters_groups_and_biases():
    s = Session("cs231n")
    history = History(s)
    assert s.parameter_count() == 2 * 3 * 9 + 2
    s.add_filter()
    assert s.weight.shape == (3, 3, 3, 3) and s.bias.tolist() == [1, 0, 0]
    s.set_bias(2, 0.5)
    s.set_groups(3)  # depthwise: each filter sees one channel
    assert s.weight.shape == (3, 1, 3, 3) and s.settings.groups == 3
    s.run_to_end()
    np.testing.assert_allclose(
        s.feature_map(), conv(s.x, s.weight, s.bias, groups=3, stride=2, padding=1)
    )
    with pytest.raises(ValueError, match="choose one of 1, 3"):
        s.set_groups(2)
    s.remove_filter(0)  # 2 filters do not split into 3 groups: back to groups=1
    assert s.settings.groups == 1 and s.weight.shape == (2, 3, 3, 3)
    for _ in range(4):
        history.undo()
    assert s.weight.shape == (2, 3, 3, 3) and s.bias.tolist() == [1, 0]
    with pytest.raises(ValueError, match="at least one filter"):
        Session().remove_filter(0)


def test_kernel_channel_cells_are_editable():
    s = Session("cs231n")
    s.edit_cells("kernel", (1, 2), 0, 0, [[9.0]])
    assert s.weight[1, 2, 0, 0] == 9 and s.grid("kernel", (1, 2))[0, 0] == 9


def test_activation_after_the_convolution(session, tmp_path):
    from convviz.engine import activate
    from convviz.model import load_project, save_project

    history = History(session)
    session.set_kernel_preset("sobel-x")
    session.change("ReLU", activation="relu")
    session.run_to_end()
    raw = session.stepper.output
    assert raw.min() < 0
    np.testing.assert_array_equal(session.feature_map(), np.maximum(raw, 0))
    session.change("sigmoid", activation="sigmoid")
    np.testing.assert_allclose(session.final_map(), activate("sigmoid", raw))
    path = save_project(tmp_path / "a.convviz", session.to_project())
    other = Session()
    other.open_project(load_project(path))
    assert other.activation == "sigmoid"
    history.undo()
    history.undo()
    assert session.activation == "none"
    with pytest.raises(ValueError, match="unknown activation"):
        session.change("bad", activation="softmax")
