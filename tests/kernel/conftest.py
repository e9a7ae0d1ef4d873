"""The kernelspec is installed into a temporary prefix for the whole session, and Jupyter's
and IPython's folders point at temporary directories: nothing is left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import pytest

_TMP = tempfile.mkdtemp(prefix="tensorshell-kernel-tests-")
_SAVED = os.environ.get("JUPYTER_PATH")


def _install():
    subprocess.run([sys.executable, "-m", "tensorshell", "kernel", "install", "--prefix",
                    _TMP], check=True, capture_output=True, timeout=60)
    os.environ["JUPYTER_PATH"] = os.path.join(_TMP, "share", "jupyter")


_install()  # at import: jupyter_kernel_test's classes start kernels in setUpClass


@pytest.fixture(scope="session", autouse=True)
def _cleanup():
    yield
    if _SAVED is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = _SAVED
    shutil.rmtree(_TMP, ignore_errors=True)
