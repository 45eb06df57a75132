"""The command line's contract: every failure is one line on stderr and exit status 2; a bug
in convviz is one line naming a log with the details, exit status 1."""

import re

import pytest

from convviz import cli
from convviz.cli import main


def test_a_bug_is_one_line_and_a_log(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)

    def broken(args):
        raise RuntimeError("the flux capacitor is empty")

    monkeypatch.setattr(cli, "run_compute", broken)
    assert main(["compute", "--demo", "edges", "--out", str(tmp_path / "o.npy")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("convviz: internal error (RuntimeError: the flux capacitor is empty)")
    log = re.search(r"the details are in (\S+\.log)", err).group(1)
    with open(log, encoding="utf-8") as details:
        assert "Traceback" in details.read()


@pytest.mark.parametrize(
    ("make", "argv", "words"),
    [
        (lambda t: t.joinpath("folder").mkdir(), ["--input", "{t}/folder"], "is a folder"),
        (lambda t: None, ["--out", "{t}/missing/o.npy"], "missing"),
        (lambda t: t.joinpath("o.npy").mkdir(), ["--out", "{t}/o.npy"], "o.npy"),
    ],
)
def test_file_system_failures_are_one_line(capsys, tmp_path, make, argv, words):
    make(tmp_path)
    argv = [a.format(t=tmp_path) for a in argv]
    if "--input" in argv:
        argv = ["compute", *argv, "--kernel", "identity", "--out", str(tmp_path / "x.npy")]
    else:
        argv = ["compute", "--demo", "edges", *argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convviz: error: ") and words in err


def test_a_walk_too_long_to_animate_by_accident_asks_for_a_range(capsys, tmp_path):
    from convviz.model import Session, save_project

    s = Session("letter-h")
    s.edits.resize_input((40, 40))
    project = save_project(tmp_path / "big.convviz", s.to_project())
    out = tmp_path / "a.gif"
    assert main(["animate", "--project", str(project), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "1600 frames, 6:40 at 4 frames a second" in err and "--every K" in err
    assert not out.exists()
    argv = ["animate", "--project", str(project), "--every", "400", "--size", "800x600"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and out.exists()


def test_partial_files_of_killed_writes_are_cleaned_on_the_next_write(tmp_path):
    import os
    import time

    old = tmp_path / ".o.k1ll3d.npy"
    fresh = tmp_path / ".o.wr1t1ng.npy"
    for leftover in (old, fresh):
        leftover.write_bytes(b"half a file")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    assert main(["compute", "--demo", "edges", "--out", str(tmp_path / "o.npy")]) == 0
    assert not old.exists()  # a killed write's leftover
    assert fresh.exists()  # perhaps another write going on right now: left alone


def test_ctrl_c_during_an_export_leaves_the_old_file_and_no_partial(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "lecture.gif"
    out.write_bytes(b"the animation from last week")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    argv = [sys.executable, "-m", "convviz", "animate", "--demo", "letter-h", "--out", str(out)]
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(folder.glob(".lecture.*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the export has begun writing beside the old file
    assert child.poll() is None, "the export ended before it could be interrupted"
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err.decode().strip().splitlines()[-1].startswith("convviz: interrupted")
    assert out.read_bytes() == b"the animation from last week"
    assert [p.name for p in folder.iterdir()] == ["lecture.gif"]  # no partial file left


def test_animation_progress_says_frames_and_time_left_only_on_a_terminal(capsys, tmp_path):
    from convviz.cli import progress_text

    assert progress_text(64, 256, 16.0) == "frame 64 of 256, about 0:48 left"
    assert progress_text(256, 256, 60.0) == "frame 256 of 256, about 0:00 left"
    out = tmp_path / "a.gif"
    argv = ["animate", "--demo", "letter-h", "--to", "3", "--size", "800x600"]
    assert main([*argv, "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""  # not a terminal here: no progress lines
