"""The Jupyter project's kernel conformance suite (jupyter_kernel_test) against the installed
``tensorshell`` kernelspec."""

import jupyter_kernel_test


class TensorShellKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tensorshell"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('test', file=sys.stderr)"
    completion_samples = [
        {"text": "ts.zeros_l", "matches": {"zeros_like"}},
        {"text": "ts.math.reduce_st", "matches": {"reduce_std"}},
    ]
    complete_code_samples = ["1", "t = ts.ones(3)", "for i in range(3):\n    print(i)\n"]
    incomplete_code_samples = ["t = ts.constant([1,", "def f(x):", "for i in range(3):"]
    invalid_code_samples = ["t = ts.ones(3))", "1 +* 2"]
    code_generate_error = "ts.constant(2.0) + ts.constant(40)"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "ts.constant([1, 2]) * 2", "result": "Tensor[2] int32 cpu:0\n[2 4]"},
    ]
    code_display_data = [
        {"code": "display(ts.constant([1., 2.]))", "mime": "text/html"},
        {"code": "from IPython.display import HTML, display; display(HTML('<b>hi</b>'))",
         "mime": "text/html"},
    ]
    code_inspect_sample = "ts.constant"
    code_page_something = "ts.constant?"
    code_clear_output = "from IPython.display import clear_output; clear_output()"
    supported_history_operations = ("tail", "search")
    code_history_pattern = "6 *"
