"""Start-up to a usable prompt: tensorshell against plain IPython (and `import tensorflow`
when installed), each started in a pseudo-terminal and timed until its prompt appears.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect


def time_to_prompt(argv, prompt, env) -> float:
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60,
                          dimensions=(30, 100))
    child.expect(prompt)
    elapsed = time.perf_counter() - start
    child.close(force=True)
    return elapsed


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args(argv)
    # An installed package has its bytecode compiled at install time; a source checkout may
    # not (PYTHONDONTWRITEBYTECODE), and compiling on every start would be timed instead.
    import compileall

    import tensorshell
    compileall.compile_dir(os.path.dirname(tensorshell.__file__), quiet=1)
    tmp = tempfile.mkdtemp()
    env = dict(os.environ, IPYTHONDIR=os.path.join(tmp, "ipy"), PROMPT_TOOLKIT_NO_CPR="1",
               XDG_DATA_HOME=os.path.join(tmp, "data"))
    rows = [("tensorshell", [sys.executable, "-m", "tensorshell"], re.compile(r"ts cpu:\d")),
            ("ipython", [sys.executable, "-m", "IPython", "--no-banner"],
             re.compile(r"In \["))]
    try:
        import importlib.util
        if importlib.util.find_spec("tensorflow"):
            rows.append(("python -c 'import tensorflow'", None, None))
    except Exception:  # noqa: BLE001
        pass
    print(f"{'front-end':32} {'median':>8} {'best':>8}")
    for label, cmd, prompt in rows:
        times = []
        for _ in range(args.runs):
            if cmd is None:
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-c", "import tensorflow"], env=env,
                               capture_output=True)
                times.append(time.perf_counter() - t0)
            else:
                times.append(time_to_prompt(cmd, prompt, env))
        print(f"{label:32} {statistics.median(times):7.3f}s {min(times):7.3f}s")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
