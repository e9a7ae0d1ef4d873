"""The console script as a user runs it."""

import subprocess
import sys


def test_dash_c_runs_code_with_ts_and_np_preloaded():
    r = subprocess.run([sys.executable, "-m", "tensorshell", "-c",
                        "print(ts.reduce_sum(ts.constant(np.arange(4))).numpy())"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "6"


def test_import_does_not_pull_heavy_modules():
    code = ("import sys, tensorshell; heavy = {'cupy', 'IPython', 'rich', 'ipykernel', "
            "'tensorflow', 'torch'} & set(sys.modules); print(sorted(heavy))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_help_lists_the_commands():
    r = subprocess.run([sys.executable, "-m", "tensorshell", "--help"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0
    for word in ("tensorshell -c CODE", "tensorshell test", "tensorshell kernel install"):
        assert word in r.stdout
