"""Front-end tests run tensorshell as a user does, in subprocesses or a pseudo-terminal,
with IPython's and tensorshell's folders in temporary directories (nothing touches home)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.fixture
def tsh(env, tmp_path):
    """Run the tensorshell CLI: tsh(*args, input=None) -> CompletedProcess."""
    def run(*args, input=None, cwd=None):
        return subprocess.run([sys.executable, "-m", "tensorshell", *args], input=input,
                              capture_output=True, text=True, env=env, timeout=120,
                              cwd=cwd or tmp_path)
    return run
