"""``tensorshell test``: .tsh files as executable documentation."""

import textwrap


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


GOOD = """
    # Tensors display their shape, dtype and device.
    tsh> t = ts.constant([[1., 2.], [3., 4.]])
    tsh> t * 2
    Tensor[2, 2] float32 cpu:0
    [[2.0 4.0]
     [6.0 8.0]]
    # Wildcards and float tolerance
    tsh> ts.constant([1 / 3])
    Tensor[1] ... cpu:0
    [0.33333]
    tsh> ts.random.normal([3, 3])
    Tensor[3, 3] float32 cpu:0
    ...
    # Expected errors
    tsh> t + ts.constant(1)
    !! InvalidArgumentError
    tsh> for i in range(2):
    ...>     print(i)
    0
    1
    """


def test_passing_file(tsh, tmp_path):
    write(tmp_path, "good.tsh", GOOD)
    r = tsh("test", "good.tsh")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith("good.tsh: 6 passed, 0 failed")


def test_failing_example_is_reported_with_its_line(tsh, tmp_path):
    write(tmp_path, "bad.tsh", """
        tsh> ts.constant([1, 2]) + 1
        Tensor[2] int32 cpu:0
        [2 4]
        tsh> ts.constant(1.) + ts.constant(1.)
        !! InvalidArgumentError
        """)
    r = tsh("test", "bad.tsh")
    assert r.returncode == 1
    assert "bad.tsh:1: example failed" in r.stdout
    assert "bad.tsh:4: example failed" in r.stdout
    assert "    [2 3]" in r.stdout  # what it got
    assert r.stdout.strip().endswith("bad.tsh: 0 passed, 2 failed")


def test_update_rewrites_expected_output(tsh, tmp_path):
    path = write(tmp_path, "u.tsh", """
        # prose stays
        tsh> ts.constant([1, 2]) + 1
        wrong
        tsh> ts.constant(1) + 1.5
        """)
    r = tsh("test", "--update", "u.tsh")
    assert r.returncode == 0
    assert path.read_text() == (
        "# prose stays\ntsh> ts.constant([1, 2]) + 1\n"
        "Tensor[2] int32 cpu:0\n[2 3]\ntsh> ts.constant(1) + 1.5\n"
        "!! InvalidArgumentError\n"
        "add: 1.5 cannot become int32 without losing data (it is a float); tensorshell "
        "refuses instead of truncating or wrapping\n\n"
        "  x  int32             []  cpu:0\n  y  Python float 1.5  []  cpu:0\n\n"
        "fix: ts.cast(x, ts.float32)\n")
    assert tsh("test", "u.tsh").returncode == 0
