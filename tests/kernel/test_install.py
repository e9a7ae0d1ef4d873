"""``tensorshell kernel install|uninstall`` and the spec it writes."""

import json
import subprocess
import sys


def tsh(*args):
    return subprocess.run([sys.executable, "-m", "tensorshell", *args], capture_output=True,
                          text=True, timeout=60)


def test_install_and_uninstall_into_a_prefix(tmp_path, monkeypatch):
    r = tsh("kernel", "install", "--prefix", str(tmp_path), "--name", "tsh-test")
    assert r.returncode == 0, r.stderr
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / "tsh-test"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["display_name"] == "tensorshell (Python)"
    assert spec["argv"][1:] == ["-m", "tensorshell.kernel", "-f", "{connection_file}"]
    assert spec["language"] == "python"
    assert {"logo-32x32.png", "logo-64x64.png", "logo-svg.svg"} <= \
        {p.name for p in spec_dir.iterdir()}
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share" / "jupyter"))
    listed = subprocess.run([sys.executable, "-m", "jupyter_client.kernelspecapp", "list"],
                            capture_output=True, text=True, timeout=60)
    if listed.returncode == 0:
        assert "tsh-test" in listed.stdout
    r = subprocess.run([sys.executable, "-m", "tensorshell", "kernel", "uninstall", "--name",
                        "tsh-test"], capture_output=True, text=True, timeout=60,
                       env={**__import__("os").environ,
                            "JUPYTER_PATH": str(tmp_path / "share" / "jupyter")})
    assert r.returncode == 0, r.stderr
    assert not spec_dir.exists()


def test_uninstalling_a_missing_spec_says_so(tmp_path):
    r = tsh("kernel", "uninstall", "--name", "no-such-kernel-here")
    assert r.returncode == 1 and "no-such-kernel-here" in r.stderr
