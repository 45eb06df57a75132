"""convviz code writes scripts that run on their own and leave in y what convviz compute writes;
errors are one line."""

import subprocess
import sys

import numpy as np
import pytest

from convviz.cli import main
from convviz.engine import PoolLayer, demo
from convviz.model import Session, save_project

RUN = (
    "import runpy, sys, numpy as np\n"
    "for script in sys.argv[1:]:\n"
    "    np.save(script[:-3] + '_y.npy', runpy.run_path(script, run_name='__main__')['y'])\n"
)


def run_scripts(*scripts, cwd) -> list[np.ndarray]:
    """Run the scripts one after another in one fresh Python, from ``cwd``; each one's ``y``."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *map(str, scripts)], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("y is the map convviz shows") == len(scripts)
    return [np.load(str(script)[:-3] + "_y.npy") for script in scripts]


def computed(tmp_path, *argv) -> np.ndarray:
    """What ``convviz compute`` writes to .npy for the same arguments."""
    out = tmp_path / "computed.npy"
    assert main(["compute", *argv, "--out", str(out)]) == 0
    return np.load(out)


def test_a_small_demo_goes_to_stdout_whole(tmp_path, capsys):
    assert main(["code", "--demo", "cs231n", "--lang", "numpy"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "np.load" not in out  # every array is written into the script
    script = tmp_path / "cs231n.py"
    script.write_text(out, encoding="utf-8")
    expected = computed(tmp_path, "--demo", "cs231n")
    [y] = run_scripts(script, cwd=tmp_path)
    assert y.shape == expected.shape == (2, 3, 3)
    np.testing.assert_allclose(y, expected, rtol=1e-12)


def test_large_arrays_are_saved_beside_the_script(tmp_path, capsys):
    folder = tmp_path / "scripts"
    folder.mkdir()
    scripts = []
    for lang in ("torch", "numpy"):
        script = folder / f"letter_{lang}.py"
        assert main(["code", "--demo", "letter-h", "--lang", lang, "--out", str(script)]) == 0
        said = capsys.readouterr().out
        files = [f"letter_{lang}_x.npy", f"letter_{lang}_expected.npy"]
        assert (
            said
            == f"wrote {script} and beside it {', '.join(files)}; run it with: python {script}\n"
        )
        assert all((folder / name).is_file() for name in files)
        scripts.append(script)
    expected = computed(tmp_path, "--demo", "letter-h")
    for y in run_scripts(*scripts, cwd=tmp_path):  # run from another folder
        assert y.shape == expected.shape == (1, 16, 16)
        np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)


def test_with_no_out_the_arrays_go_to_the_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["code", "--demo", "heartbeat", "--lang", "numpy"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("convviz: saved heartbeat_x.npy, heartbeat_expected.npy in the current")
    np.testing.assert_array_equal(np.load(tmp_path / "heartbeat_x.npy"), demo("heartbeat").x)
    script = tmp_path / "beat.py"
    script.write_text(out, encoding="utf-8")
    [y] = run_scripts(script, cwd=tmp_path)
    np.testing.assert_allclose(y, computed(tmp_path, "--demo", "heartbeat"), rtol=1e-12)


def test_a_project_and_the_changes_asked_for(tmp_path, capsys):
    session = Session("edges")
    session.edits.add_layer(PoolLayer("avg", (3, 3), (2, 2), (1, 1), 1, True, False))
    project = save_project(tmp_path / "lecture.convviz", session.to_project())
    changes = ["--padding", "0:1,1:0", "--padding-mode", "replicate", "--activation", "relu"]
    changes += ["--flip", "--pool", "max:2"]
    scripts = []
    for lang in ("torch", "numpy"):
        script = tmp_path / f"lecture_{lang}.py"
        argv = ["code", "--project", str(project), *changes, "--lang", lang, "--out", str(script)]
        assert main(argv) == 0
        scripts.append(script)
    capsys.readouterr()
    torch_text = scripts[0].read_text(encoding="utf-8")
    assert "Pad((1, 0, 0, 1), mode='replicate')," in torch_text
    assert "nn.ReLU()," in torch_text and "nn.MaxPool2d(2, stride=2)," in torch_text
    assert "torch.flip(torch.from_numpy(weight1), dims=[2, 3])" in torch_text
    expected = computed(tmp_path, "--project", str(project), *changes)
    for y in run_scripts(*scripts, cwd=tmp_path):
        assert y.shape == expected.shape
        np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--demo", "edges", "--out", "{t}/map.npy"], "give --out a name ending in .py"),
        (["--demo", "signal-1d", "--padding", "valid", "--dilation", "3"], "does not fit"),
        (["--demo", "edges", "--out", "{t}/missing/s.py"], "missing does not exist"),
    ],
)
def test_what_cannot_be_written_is_one_line(tmp_path, capsys, argv, words):
    argv = [a.format(t=tmp_path) for a in argv]
    status = main(["code", *argv])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("convviz: error: ") and words in err
    assert not list(tmp_path.glob("*.py")) and not list(tmp_path.glob("*.npy"))


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--demo", "edges", "--lang", "julia"], "invalid choice: 'julia'"),
        (["--lang", "numpy"], "one of the arguments --demo --project --input is required"),
    ],
)
def test_wrong_arguments_are_one_line(capsys, argv, words):
    with pytest.raises(SystemExit) as stopped:
        main(["code", *argv])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.count("\n") == 1 and words in err
