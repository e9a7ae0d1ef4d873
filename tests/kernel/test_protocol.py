"""Protocol behaviour the conformance suite does not cover: interrupts, many executes, error
content, inspection and completion of tensors, restarts."""

import time

import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="tensorshell", startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def execute(kc, code, timeout=30):
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda m: outputs.append(m))
    return reply["content"], outputs


def test_kernel_info_names_tensorshell(kernel):
    _, kc = kernel
    kc.kernel_info()
    content = kc.get_shell_msg(timeout=10)["content"]
    assert content["implementation"] == "tensorshell"
    assert content["language_info"]["name"] == "python"
    assert content["language_info"]["file_extension"] == ".py"
    assert "devices: cpu:0" in content["banner"]


def test_tensor_results_carry_html_and_plain_text(kernel):
    _, kc = kernel
    reply, outputs = execute(kc, "t = ts.constant([[1., 2.], [3., 4.]])\nt")
    assert reply["status"] == "ok"
    result = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
    assert result["text/plain"] == "Tensor[2, 2] float32 cpu:0\n[[1.0 2.0]\n [3.0 4.0]]"
    assert 'aria-label="heatmap"' in result["text/html"]


def test_dtype_mismatch_is_one_error_message_with_the_fix(kernel):
    _, kc = kernel
    reply, outputs = execute(kc, "ts.constant(2.0) + ts.constant(40)")
    assert reply["status"] == "error" and reply["ename"] == "InvalidArgumentError"
    errors = [m for m in outputs if m["msg_type"] == "error"]
    others = [m for m in outputs if m["msg_type"] in ("stream", "display_data")]
    assert len(errors) == 1 and not others
    text = "\n".join(errors[0]["content"]["traceback"])
    assert "fix: " in text and "ts.cast(y, ts.float32)" in text
    assert "In [" in text  # the user's cell, not the engine's frames
    assert "registry.py" not in text


def test_interrupt_stops_a_cell_and_keeps_state(kernel):
    km, kc = kernel
    execute(kc, "kept = ts.constant([7, 8])")
    msg_id = kc.execute("while True: pass")
    time.sleep(1.0)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    reply, outputs = execute(kc, "kept + 1")
    result = [m for m in outputs if m["msg_type"] == "execute_result"][0]
    assert "[8 9]" in result["content"]["data"]["text/plain"]


def test_a_thousand_short_executes(kernel):
    _, kc = kernel
    ids = [kc.execute(f"x_{i} = {i}", silent=False) for i in range(1000)]
    statuses = {}
    while len(statuses) < len(ids):
        msg = kc.get_shell_msg(timeout=60)
        statuses[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
    assert set(statuses) == set(ids) and set(statuses.values()) == {"ok"}


def test_inspect_and_complete_know_tensors(kernel):
    _, kc = kernel
    execute(kc, "w = ts.random.normal([10, 10])")
    kc.inspect("w", 1, detail_level=0)
    reply = kc.get_shell_msg(timeout=10)["content"]
    text = reply["data"]["text/plain"]
    assert reply["found"] and "Tensor[10, 10] float32 cpu:0" in text and "n=100" in text
    kc.complete("w.", 2)
    matches = kc.get_shell_msg(timeout=10)["content"]["matches"]
    assert {"w.shape", "w.dtype", "w.device"} <= set(matches) or \
        {"shape", "dtype", "device"} <= set(matches)


def test_restart_comes_back_clean():
    km, kc = start_new_kernel(kernel_name="tensorshell", startup_timeout=60)
    try:
        execute(kc, "gone = 1")
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=60)
        reply, _ = execute(kc, "gone")
        assert reply["status"] == "error" and reply["ename"] == "NameError"
        reply, outputs = execute(kc, "ts.ones(1)")
        assert reply["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_kernel_listens_on_loopback_with_signed_messages(kernel):
    km, _ = kernel
    assert km.ip in ("127.0.0.1", "localhost") and km.transport == "tcp"
    assert km.session.key and km.session.signature_scheme.startswith("hmac-")
