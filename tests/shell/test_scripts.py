""".tsh scripts, -c and piped input, run through the CLI as subprocesses."""

import re
import textwrap

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_script_displays_every_top_level_expression(tsh, tmp_path):
    write(tmp_path, "demo.tsh", """
        #!/usr/bin/env tensorshell
        import sys
        print("args", sys.argv[1:])
        t = ts.constant([[1., 2.], [3., 4.]])
        t + 1
        for i in range(2):
            i          # inside a loop: not displayed, as in the REPL
        np.arange(3)
        """)
    r = tsh("demo.tsh", "a", "--b")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("args ['a', '--b']\n"
                        "Tensor[2, 2] float32 cpu:0\n[[2.0 3.0]\n [4.0 5.0]]\n"
                        "array([0, 1, 2])\n")
    assert not ANSI.search(r.stdout)  # plain text when stdout is not a terminal


def test_error_stops_the_script_with_file_and_line(tsh, tmp_path):
    write(tmp_path, "bad.tsh", """
        x = ts.constant([1, 2])
        print("before")

        y = x + 1.5
        print("after")
        """)
    r = tsh("bad.tsh")
    assert r.returncode == 1
    assert r.stdout == "before\n"
    assert 'File "bad.tsh", line 4' in r.stderr
    assert "y = x + 1.5" in r.stderr
    assert "InvalidArgumentError" in r.stderr and "fix: ts.cast(x, ts.float32)" in r.stderr


def test_keep_going_reports_every_error(tsh, tmp_path):
    write(tmp_path, "two.tsh", """
        ts.constant(1) + ts.constant(1.)
        print("still running")
        1 / 0
        print("end")
        """)
    r = tsh("--keep-going", "two.tsh")
    assert r.returncode == 1
    assert r.stdout == "still running\nend\n"
    assert 'File "two.tsh", line 1' in r.stderr and 'File "two.tsh", line 3' in r.stderr
    assert "ZeroDivisionError: division by zero" in r.stderr


def test_magics_and_name_suggestions_in_scripts(tsh, tmp_path):
    write(tmp_path, "m.tsh", """
        a = ts.ones((2, 3))
        %tensors
        ts.reduce_summ(a)
        """)
    r = tsh("m.tsh")
    assert r.returncode == 1
    assert re.search(r"a\s+│ Tensor\s+│ \[2, 3\]\s+│ float32\s+│ cpu:0\s+│\s+24 B", r.stdout)
    assert "did you mean ts.reduce_sum" in r.stderr


def test_dash_c_and_piped_stdin(tsh):
    r = tsh("-c", "x = ts.constant([1, 2]); x * 2")
    assert r.returncode == 0 and r.stdout == "Tensor[2] int32 cpu:0\n[2 4]\n"
    r = tsh(input="ts.ones(3)\n")
    assert r.returncode == 0 and r.stdout == "Tensor[3] float32 cpu:0\n[1.0 1.0 1.0]\n"
    r = tsh("-c", "ts.constant(1) + 1.5")
    assert r.returncode == 1 and "<tensorshell -c>" in r.stderr


def test_missing_file(tsh):
    r = tsh("nope.tsh")
    assert r.returncode == 2 and "cannot read nope.tsh" in r.stderr


def test_syntax_error_is_reported(tsh, tmp_path):
    write(tmp_path, "syn.tsh", "x = (1,\n")
    r = tsh("syn.tsh")
    assert r.returncode == 1 and "SyntaxError" in r.stderr


def test_ctrl_c_ends_a_script_with_status_130(env, tmp_path):
    import signal
    import subprocess
    import sys
    import time
    write(tmp_path, "loop.tsh", """
        print("started", flush=True)
        while True:
            pass
        """)
    p = subprocess.Popen([sys.executable, "-m", "tensorshell", "--keep-going", "loop.tsh"],
                         cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline() == "started\n"
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130
    assert 'File "loop.tsh", line 2' in err and "KeyboardInterrupt" in err
