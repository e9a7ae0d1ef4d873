"""Front-end tests run tensorshell as a user does, in subprocesses or a pseudo-terminal,
with IPython's and tensorshell's folders in temporary directories (nothing touches home)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ)
    e.update(IPYTHONDIR=str(tmp_path / "ipython"), XDG_DATA_HOME=str(tmp_path / "data"),
             JUPYTER_PATH=str(tmp_path / "jupyter"), PROMPT_TOOLKIT_NO_CPR="1",
             TERM="xterm-256color", COLUMNS="100", LINES="30")
    e.pop("NO_COLOR", None)
    return e


@pytest.fixture
def tsh(env, tmp_path):
    """Run the tensorshell CLI: tsh(*args, input=None) -> CompletedProcess."""
    def run(*args, input=None, cwd=None):
        return subprocess.run([sys.executable, "-m", "tensorshell", *args], input=input,
                              capture_output=True, text=True, env=env, timeout=120,
                              cwd=cwd or tmp_path)
    return run
