"""The IPython extension: preloads, formatters, magics, completions, name suggestions."""

import io
import re
import subprocess
import sys
import time
from contextlib import redirect_stdout

import pytest

import tensorshell as ts
from tensorshell.engine.tensor import Tensor
from IPython.core.completer import provisionalcompleter

from tensorshell.script import make_shell


@pytest.fixture(scope="module")
def shell():
    return make_shell()


def completions(shell, text):
    with provisionalcompleter():
        return {c.text for c in shell.Completer.completions(text, len(text))}


def test_preloads_and_formatter(shell):
    assert shell.user_ns["ts"] is ts and shell.user_ns["np"].__name__ == "numpy"
    data, _ = shell.display_formatter.format(ts.constant([1., 2.]))
    assert data["text/plain"] == "Tensor[2] float32 cpu:0\n[1.0 2.0]"
    assert data["text/html"].startswith('<div class="tensorshell-tensor"')


def test_containers_and_named_results_show_tensors_in_one_line_each(shell):
    text = lambda v: shell.display_formatter.format(v)[0]["text/plain"]  # noqa: E731
    assert text((ts.constant(1.5), ts.constant([1, 2]))) == \
        "(<Tensor[] float32 cpu:0 1.5>, <Tensor[2] int32 cpu:0 [1 2]>)"
    assert text(ts.unique([3, 1, 3])) == \
        "Unique(y=<Tensor[2] int32 cpu:0 [3 1]>, idx=<Tensor[3] int32 cpu:0 [0 1 0]>)"
    top = text(ts.math.top_k(ts.constant([1., 3., 2.]), 2))
    assert top.startswith("TopKV2(values=<Tensor[2] float32 cpu:0 [3.0 2.0]>,")
    assert "indices=<Tensor[2] int32 cpu:0 [1 2]>)" in top


def test_ragged_and_sparse_tensors_show_their_structure(shell):
    text = lambda v: shell.display_formatter.format(v)[0]["text/plain"]  # noqa: E731
    assert text(ts.ragged.constant([[1, 2], [], [3]])) == (
        "RaggedTensor[3, None] int32 cpu:0  (3 rows, 3 values, row lengths 0-2)\n"
        "[[1, 2],\n [],\n [3]]")
    assert text(ts.SparseTensor([[0, 1], [2, 3]], [1., 2.5], [3, 4])) == (
        "SparseTensor[3, 4] float32 cpu:0  (2 of 12 stored, 16.7%)\n"
        "  [0, 1]  1.0\n  [2, 3]  2.5")
    many = text(ts.SparseTensor([[i, i] for i in range(30)], list(range(30)), [30, 30]))
    assert "  ...\n  [28, 28]  28\n  [29, 29]  29" in many and len(many.splitlines()) == 13
    assert text((ts.ragged.constant([[1], [2, 3]]), ts.SparseTensor([[0, 0]], [1.], [2, 2]))) \
        == "(<RaggedTensor[2, None] int32 cpu:0 [[1], [2, 3]]>,\n" \
           " <SparseTensor[2, 2] float32 cpu:0 1 stored>)"
    assert text(ts.linalg.qr(ts.eye(2))).startswith("Qr(q=<Tensor[2, 2] float32 cpu:0")
    assert text(ts.linalg.lu(ts.eye(2))).startswith("Lu(lu=<Tensor[2, 2] float32 cpu:0")
    assert text(ts.linalg.eig(ts.eye(2))).startswith("Eig(e=<Tensor[2] complex64 cpu:0")
    assert text(ts.unique_with_counts([1, 1])).startswith("UniqueWithCounts(y=<Tensor[1]")


def test_tensors_magic_lists_the_workspace(shell):
    shell.user_ns.update(a=ts.ones((2, 3)), w=ts.Variable([1, 2], name="w"), n=3)
    with ts.device("/cpu:1"):
        shell.user_ns["b"] = ts.zeros(256, ts.float64)
    out = io.StringIO()
    with redirect_stdout(out):
        shell.run_line_magic("tensors", "")
    text = out.getvalue()
    assert re.search(r"\ba\s+│ Tensor\s+│ \[2, 3\]\s+│ float32\s+│ cpu:0\s+│\s+24 B", text)
    assert re.search(r"\bw\s+│ Variable\s+│ \[2\]\s+│ int32", text)
    assert re.search(r"\bb\s+│ Tensor\s+│ \[256\]\s+│ float64\s+│ cpu:1\s+│\s+2.0 KiB", text)
    assert re.search(r"total on cpu:0 .*32 B", text) and re.search(r"total on cpu:1 .*2.0 KiB",
                                                                  text)
    assert " n " not in text
    with redirect_stdout(io.StringIO()) as alias:
        shell.run_line_magic("whos_t", "")
    assert alias.getvalue() == text


def test_tensors_magic_lists_modules_and_counts_each_variable_once(shell):
    class Dense(ts.Module):
        def __init__(self):
            super().__init__()
            self.w = ts.Variable(ts.ones((4, 8)))
            self.b = ts.Variable(ts.zeros(8))

    model = Dense()
    ns = {"model": model, "w_alias": model.w}
    from tensorshell.shell.magics import workspace_table
    table, rows = workspace_table(ns)
    row = rows[0]
    assert row[:6] == ("model", "Module", "2 variables, 40 values", "float32", "cpu:0", 160)
    out = io.StringIO()
    from rich.console import Console
    Console(file=out, width=120).print(table)
    assert re.search(r"total on cpu:0 .*160 B", out.getvalue())   # w counted once


def test_tensors_magic_lists_sparse_and_ragged_tensors_by_what_they_store():
    from tensorshell.shell.magics import workspace_table
    sparse = ts.SparseTensor([[0, 1], [2, 3]], [1., 2.], [1000, 1000])
    ragged = ts.ragged.constant([[1, 2, 3], [], [4]])
    table, rows = workspace_table({"s": sparse, "r": ragged})
    by_name = {row[0]: row for row in rows}
    # values (8 B) + indices (32 B) + dense_shape (16 B), not a million floats
    assert by_name["s"][:6] == ("s", "SparseTensor", (1000, 1000), "float32", "cpu:0", 56)
    # flat values (16 B) + row splits (32 B)
    assert by_name["r"][:6] == ("r", "RaggedTensor", (3, "None"), "int32", "cpu:0", 48)


def test_device_magic_shows_and_sets_the_default(shell):
    out = io.StringIO()
    with redirect_stdout(out):
        shell.run_line_magic("device", "")
    assert "cpu:1" in out.getvalue() and "/job:localhost/replica:0/task:0/device:CPU:1" in \
        out.getvalue()
    with redirect_stdout(io.StringIO()):
        shell.run_line_magic("device", "/cpu:1")
    try:
        assert ts.constant(1.).device.endswith("CPU:1")
    finally:
        with redirect_stdout(io.StringIO()):
            shell.run_line_magic("device", "/cpu:0")
    assert ts.constant(1.).device.endswith("CPU:0")


def test_tstimeit_synchronises_and_times(shell):
    shell.user_ns["x"] = ts.ones(100)
    out = io.StringIO()
    with redirect_stdout(out):
        shell.run_line_magic("tstimeit", "-n 10 -r 2 x + x")
    assert "per loop" in out.getvalue()


def test_tstimeit_cell_mode_and_device_errors(shell):
    shell.user_ns["x"] = ts.ones(10)
    out = io.StringIO()
    with redirect_stdout(out):
        shell.run_cell_magic("tstimeit", "-n 3 -r 1", "y = x * 2\ny + 1")
    assert "per loop" in out.getvalue()
    with pytest.raises(ValueError, match="No device named"):
        shell.run_line_magic("device", "/cpu:9")


def test_verbose_mode_shows_the_engines_frames(shell):
    from tensorshell.shell.errors import explained_traceback
    try:
        ts.constant(1.) + ts.constant(1)
    except ts.errors.OpError as e:
        err = e
    terse = "\n".join(explained_traceback(err, shell))
    shell.run_line_magic("xmode", "Verbose")
    try:
        verbose = "\n".join(explained_traceback(err, shell))
    finally:
        shell.run_line_magic("xmode", "Context")
    assert "registry.py" not in terse and "registry.py" in verbose
    assert "fix: ts.cast(y, ts.float32)" in terse and "fix: ts.cast(y, ts.float32)" in verbose


def test_completions_know_dtypes_and_devices(shell):
    floats = {"ts.float16", "ts.float32", "ts.float64"}
    assert completions(shell, "ts.zeros(3, dtype=ts.flo") == floats
    assert completions(shell, "ts.zeros(3, dtype=flo") == floats
    assert "ts.int32" in completions(shell, "ts.ones(2, dtype=")
    got = completions(shell, 'with ts.device("/c')
    assert {"/cpu:0", "/cpu:1"} <= got


def test_attribute_completion_never_touches_values(shell, monkeypatch):
    shell.user_ns["big"] = ts.zeros((2048, 2048))

    def forbidden(*a, **k):
        raise AssertionError("completion read a tensor's value")
    monkeypatch.setattr(Tensor, "numpy", forbidden)
    monkeypatch.setattr(Tensor, "__array__", forbidden)
    monkeypatch.setattr(Tensor, "__repr__", forbidden)
    start = time.perf_counter()
    got = completions(shell, "big.")
    assert {"big.shape", "big.dtype", "big.device"} <= got or {"shape", "dtype"} <= got
    assert time.perf_counter() - start < 5


def test_load_ext_in_plain_ipython(env, tmp_path):
    script = tmp_path / "s.ipy"
    script.write_text("%load_ext tensorshell\n"
                      "t = ts.ones(2)\n"
                      "display(t)\n"
                      "%tensors\n")
    r = subprocess.run([sys.executable, "-m", "IPython", "--quick", "--no-banner",
                        str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Tensor[2] float32 cpu:0\n[1.0 1.0]" in r.stdout
    assert re.search(r"t\s+│ Tensor", r.stdout)


def test_tensorshell_errors_render_in_any_ipython(env, tmp_path):
    r = subprocess.run([sys.executable, "-m", "IPython", "--quick", "--no-banner", "-c",
                        "import tensorshell as ts; ts.constant(1.) + ts.constant(1)"],
                       capture_output=True, text=True, env=env, timeout=60)
    out = r.stdout + r.stderr
    assert "add cannot combine float32 (x) with int32 (y)" in out
    assert "fix: ts.cast(y, ts.float32)" in out
