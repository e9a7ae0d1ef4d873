"""Training progress and loss curves in each front-end."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tensorshell.display import plot_curve, track
from tensorshell.display.progress import curve_svg

EXAMPLE = Path(__file__).parents[2] / "examples" / "train_mlp.tsh"


def test_plain_output_is_one_summary_line(capsys):
    bar = track(range(5), description="fit")
    for i in bar:
        bar.log(loss=10 - i)
    assert capsys.readouterr().out == "fit: 5/5 loss=6\n"
    assert bar.history["loss"] == [10, 9, 8, 7, 6]


def test_curve_as_svg_and_text():
    c = plot_curve([3.0, 2.0, 1.5, 1.0], "loss")
    ET.fromstring(c._repr_html_())
    assert 'aria-label="loss"' in c._repr_html_() and "<script" not in c._repr_html_()
    assert repr(c) == "loss: █▄▂▁ 3 → 1 (min 1, 4 points)"
    ET.fromstring(curve_svg([]))


def test_training_example_runs_as_a_script():
    r = subprocess.run([sys.executable, "-m", "tensorshell", str(EXAMPLE), "120"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"training: 120/120 loss=[0-9.e-]+", lines[0])
    assert float(lines[1].split()[1]) > 0.9  # accuracy
    assert lines[2].startswith("loss: ") and "120 points" in lines[2]


def test_terminal_shows_a_live_rich_bar(env):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "tensorshell", str(EXAMPLE), "60"],
                          env=env, encoding="utf-8", timeout=120, dimensions=(30, 120))
    child.expect(pexpect.EOF)
    child.close()
    out = child.before
    assert child.exitstatus == 0
    assert "training" in out and "━" in out and "loss=" in out
