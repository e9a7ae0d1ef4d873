"""The terminal REPL as a user meets it: a real pseudo-terminal (pexpect), typed lines, the
rendered output read back with ANSI sequences stripped."""

import re
import sys
import time

import pytest

pexpect = pytest.importorskip("pexpect")

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Z0-9]|[=>])")


def prompt(n):
    return re.compile(rf"ts cpu:0 \[{n}\]>")


class Repl:
    def __init__(self, env, extra_env=None):
        env = dict(env, **(extra_env or {}))
        self.child = pexpect.spawn(sys.executable, ["-m", "tensorshell"], env=env,
                                   encoding="utf-8", timeout=30, dimensions=(30, 100))
        self.n = 1
        self.startup = self.expect(prompt(1))  # the banner and any warning

    def expect(self, pattern):
        """Wait for ``pattern`` in the ANSI-stripped output; return the text before it."""
        deadline = time.monotonic() + 30
        buf = ""
        while time.monotonic() < deadline:
            try:
                buf += self.child.read_nonblocking(65536, timeout=0.2)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
            clean = ANSI.sub("", buf).replace("\r", "")
            m = re.search(pattern, clean)
            if m:
                return clean[:m.start()]
        raise AssertionError(f"did not see {pattern!r}; screen so far:\n"
                             + ANSI.sub("", buf))

    def run(self, line):
        """Type a line, wait for the next prompt, return what was printed in between."""
        self.child.send(line + "\r")
        self.n += 1
        return self.expect(prompt(self.n))


@pytest.fixture
def repl(env):
    r = Repl(env)
    yield r
    r.child.close(force=True)


def test_banner_prompt_and_tensor_display(env):
    r = Repl(env)
    r.child.close(force=True)
    r2 = Repl(env)
    out = r2.run("t = ts.constant([[1., 2.], [3., 4.]])")
    out = r2.run("t")
    assert "Tensor[2, 2] float32 cpu:0" in out and "[[1.0 2.0]" in out and " [3.0 4.0]]" in out
    r2.child.close(force=True)


def test_error_panel_then_the_session_goes_on(repl):
    repl.run("t = ts.constant([1., 2.])")
    out = repl.run("t + ts.constant(1)")
    assert "InvalidArgumentError" in out
    assert "add cannot combine float32 (x) with int32 (y)" in out
    assert "fix: ts.cast(y, ts.float32)" in out
    out = repl.run("t * 2")
    assert "[2.0 4.0]" in out


def test_ctrl_c_interrupts_and_keeps_variables(repl):
    repl.run("kept = ts.constant([7, 8])")
    repl.child.send("while True: pass\r")
    time.sleep(1.0)
    repl.child.sendintr()
    repl.n += 1
    out = repl.expect(prompt(repl.n))
    assert "KeyboardInterrupt" in out
    out = repl.run("kept + 1")
    assert "[8 9]" in out


def test_ctrl_d_and_exit_leave_with_status_0(env):
    r = Repl(env)
    r.child.sendeof()
    r.child.expect(pexpect.EOF)
    r.child.close()
    assert r.child.exitstatus == 0
    r = Repl(env)
    r.child.send("exit\r")
    r.child.expect(pexpect.EOF)
    r.child.close()
    assert r.child.exitstatus == 0


def raw_output_of(env, line, until, extra_env=None):
    """The bytes the terminal receives for ``line``, escape sequences included."""
    r = Repl(env, extra_env)
    r.child.send(line + "\r")
    raw = ""
    deadline = time.monotonic() + 20
    while until not in ANSI.sub("", raw) and time.monotonic() < deadline:
        try:
            raw += r.child.read_nonblocking(65536, timeout=0.2)
        except pexpect.TIMEOUT:
            pass
    r.child.close(force=True)
    assert until in ANSI.sub("", raw)
    return raw


def test_no_color_gives_plain_output(env):
    raw = raw_output_of(env, "ts.ones(2)", "[1.0 1.0]", {"NO_COLOR": "1"})
    assert "\x1b[36mfloat32" not in raw  # the dtype is not coloured


def test_colour_terminal_colours_the_dtype(env):
    assert "\x1b[36mfloat32" in raw_output_of(env, "ts.ones(2)", "[1.0 1.0]")


def test_history_is_kept_in_the_data_folder(env, tmp_path):
    r = Repl(env)
    r.run("marker_value = 12345")
    r.child.sendeof()
    r.child.expect(pexpect.EOF)
    assert list((tmp_path / "ipython").glob("profile_default/history.sqlite")) or \
        list((tmp_path / "data").glob("**/history.sqlite"))


def test_first_start_creates_the_data_folder(env, tmp_path):
    """A fresh machine: no IPYTHONDIR and no tensorshell folder yet (IPython refuses a
    configured folder that does not exist; the shell must create it)."""
    env = {k: v for k, v in env.items() if k != "IPYTHONDIR"}
    env["XDG_DATA_HOME"] = str(tmp_path / "fresh" / "share")
    r = Repl(env)
    r.run("marker_value = 12345")
    r.child.sendeof()
    r.child.expect(pexpect.EOF)
    assert (tmp_path / "fresh/share/tensorshell/profile_default/history.sqlite").exists()


def test_an_unusable_data_folder_still_gives_a_prompt(env, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    env = {k: v for k, v in env.items() if k != "IPYTHONDIR"}
    env["XDG_DATA_HOME"] = str(tmp_path / "not-a-folder")
    r = Repl(env)
    assert "history is kept for this session only" in r.startup
    assert "6.0" in r.run("ts.reduce_sum(ts.constant([1., 2., 3.]))")
    r.child.sendeof()
    r.child.expect(pexpect.EOF)


def test_dumb_terminal_gets_a_simple_plain_prompt(env):
    child = pexpect.spawn(sys.executable, ["-m", "tensorshell"], env=dict(env, TERM="dumb"),
                          encoding="utf-8", timeout=30, dimensions=(30, 100))
    child.expect_exact("ts cpu:0 [1]> ")
    child.sendline("ts.ones(2)")
    child.expect_exact("ts cpu:0 [2]> ")
    assert "Tensor[2] float32 cpu:0" in child.before and "\x1b[" not in child.before
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
