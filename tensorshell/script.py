"""``.tsh`` scripts: a tensorshell session written down, run by the same execution core.

A script is Python plus magics, with ``ts`` and ``np`` preloaded; every top-level expression
statement is displayed exactly as the REPL displays it. An error stops the script (or, with
``--keep-going``, is reported and the script goes on), is rendered with the script's file
name and line, and the exit status is 1.

``tensorshell test FILE.tsh`` runs a script as executable documentation: lines starting with
``tsh> `` (continued by ``...> ``) are input, the lines after them the expected display, with
``...`` as a wildcard, float tolerance, and ``!! ErrorClass`` for an expected error.
``--update`` rewrites the expected output in place.
"""

from __future__ import annotations

import ast
import contextlib
import io
import math
import re
import sys
import traceback
from dataclasses import dataclass, field

from .shell.state import state


_SHELL_CLASS = None


def _shell_class():
    """The script shell's class, defined on first use so importing this module stays light."""
    global _SHELL_CLASS
    if _SHELL_CLASS is not None:
        return _SHELL_CLASS
    from IPython.core.displayhook import DisplayHook
    from IPython.core.interactiveshell import InteractiveShell

    class ScriptDisplayHook(DisplayHook):
        """Values print exactly as the display layer renders them: no Out prompt, no blank
        line before a multi-line display."""

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            print(format_dict["text/plain"])

    class ScriptShell(InteractiveShell):
        displayhook_class = ScriptDisplayHook

        def _showtraceback(self, etype, evalue, stb):
            print(self.InteractiveTB.stb2text(stb), file=sys.stderr)

    _SHELL_CLASS = ScriptShell
    return ScriptShell


def make_shell(fresh: bool = False):
    """A non-terminal IPython shell with the tensorshell extension: the execution core.
    ``fresh`` empties the namespace (each script or test file starts clean)."""
    cls = _shell_class()
    if cls.initialized():
        shell = cls.instance()
        if fresh:
            shell.reset(new_session=False)
            import numpy as np

            import tensorshell as ts
            shell.push({"ts": ts, "np": np}, interactive=False)
        return shell
    from traitlets.config import Config
    config = Config()
    config.HistoryManager.enabled = False  # a script records no history
    shell = cls.instance(config=config, cache_size=0,
                         colors="nocolor" if not state.color else "linux")
    from .shell import load_ipython_extension
    load_ipython_extension(shell)
    shell.set_custom_exc((Exception, KeyboardInterrupt), _script_handler)
    return shell


def _script_handler(shell, etype, evalue, tb, tb_offset=None):
    """Every error in a script: the script's file and line, then the explanation panel (or
    the exception's own line for errors tensorshell has nothing to add to)."""
    from .shell.errors import _frames_text, _interrupted, explained_traceback
    if isinstance(evalue, KeyboardInterrupt):
        shell._showtraceback(etype, evalue, _interrupted(evalue))
        return
    stb = explained_traceback(evalue, shell)
    if stb is None:
        stb = [_frames_text(evalue.__traceback__),
               "".join(traceback.format_exception_only(etype, evalue)).rstrip()]
    shell._showtraceback(etype, evalue, stb)


def statements(source: str, shell) -> list[tuple[int, str]]:
    """Top-level statements as (first line, 0-based; source text). IPython's transforms keep
    line numbers (leading blank lines aside, which are skipped here), so magics and ``!``
    lines split like ordinary statements; if a transform ever changes the line count, the
    whole source runs as one cell instead."""
    lines = source.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    lines = lines[skip:]
    body = "".join(lines)
    transformed = shell.transform_cell(body)
    if not body.strip():
        return []
    if len(transformed.rstrip("\n").splitlines()) != len(body.rstrip("\n").splitlines()):
        return [(skip, body)]
    try:
        tree = ast.parse(transformed)
    except SyntaxError as e:
        e.lineno = (e.lineno or 1) + skip
        raise
    spans: list[list[int]] = []
    for node in tree.body:
        start = node.lineno - 1
        if getattr(node, "decorator_list", None):
            start = min(d.lineno for d in node.decorator_list) - 1
        if spans and start < spans[-1][1]:  # `a = 1; a + 1` on one line: run together
            spans[-1][1] = max(spans[-1][1], node.end_lineno)
        else:
            spans.append([start, node.end_lineno])
    return [(skip + start, "".join(lines[start:end])) for start, end in spans]


def run_chunk(shell, code: str, filename: str, start: int):
    """Run one statement, displaying its value if it is an expression."""
    from IPython.core.compilerop import code_name
    transformed = shell.transform_cell(code)
    cell_name = code_name(transformed, shell.execution_count)
    state.sources[cell_name] = (filename, start)
    shell.ast_node_interactivity = "last_expr"
    return shell.run_cell(code, store_history=False)


def run_source(source: str, filename: str, argv: list[str] | None = None,
               keep_going: bool = False) -> int:
    """Run ``source`` as a script; the exit status (0, or 1 after any error)."""
    state.color = state.colour_allowed(sys.stdout)
    state.color_errors = state.colour_allowed(sys.stderr)
    shell = make_shell()
    sys.argv = [filename] + list(argv or [])
    failed = False
    try:
        chunks = statements(source, shell)
    except SyntaxError as e:
        line = (e.text or "").rstrip("\n")
        caret = " " * max((e.offset or 1) - 1, 0) + "^"
        print(f'  File "{filename}", line {e.lineno}\n    {line.strip()}\n'
              f"    {caret[len(line) - len(line.lstrip()):]}\nSyntaxError: {e.msg}",
              file=sys.stderr)
        return 1
    for start, code in chunks:
        result = run_chunk(shell, code, filename, start)
        if isinstance(result.error_in_exec, KeyboardInterrupt):
            return 130  # Ctrl-C ends the script, even with --keep-going (as a shell's 128+2)
        if not result.success:
            failed = True
            if not keep_going:
                break
    sys.stdout.flush()
    return 1 if failed else 0


def run_file(path: str, argv: list[str], keep_going: bool = False) -> int:
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    except OSError as e:
        print(f"tensorshell: cannot read {path}: {e.strerror}", file=sys.stderr)
        return 2
    return run_source(source, path, argv, keep_going)


# ---------------------------------------------------------------------------------------------
# Test mode
# ---------------------------------------------------------------------------------------------

PROMPT, CONT = "tsh> ", "...> "


@dataclass
class Example:
    line: int                      # 1-based line of the first input line
    source: list[str]
    expected: list[str] = field(default_factory=list)
    end: int = 0                   # index after the last expected line


def parse_examples(text: str) -> list[Example]:
    lines = text.splitlines()
    examples: list[Example] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith(PROMPT.rstrip()):
            i += 1
            continue
        ex = Example(i + 1, [lines[i][len(PROMPT):]])
        i += 1
        while i < len(lines) and lines[i].startswith(CONT.rstrip()):
            ex.source.append(lines[i][len(CONT):])
            i += 1
        while i < len(lines) and not lines[i].startswith(PROMPT.rstrip()) \
                and not lines[i].startswith("# "):
            ex.expected.append(lines[i])
            i += 1
        while ex.expected and not ex.expected[-1].strip():
            ex.expected.pop()
        ex.end = ex.line - 1 + len(ex.source) + len(ex.expected)
        examples.append(ex)
    return examples


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")


def _close(a: str, b: str) -> bool:
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return math.isclose(x, y, rel_tol=1e-4, abs_tol=1e-6)


def line_matches(expected: str, got: str) -> bool:
    if expected == got:
        return True
    if "..." in expected:
        pattern = ".*".join(re.escape(p) for p in expected.split("..."))
        if re.fullmatch(pattern, got):
            return True
    e_parts, g_parts = _NUMBER.split(expected), _NUMBER.split(got)
    e_nums, g_nums = _NUMBER.findall(expected), _NUMBER.findall(got)
    return (e_parts == g_parts and len(e_nums) == len(g_nums)
            and all(_close(a, b) for a, b in zip(e_nums, g_nums)))


def output_matches(expected: list[str], got: list[str]) -> bool:
    """Line by line; a line that is only ``...`` matches any run of lines."""
    if not expected:
        return not got
    if expected[0].strip() == "...":
        rest = expected[1:]
        return any(output_matches(rest, got[k:]) for k in range(len(got) + 1))
    return bool(got) and line_matches(expected[0], got[0]) and \
        output_matches(expected[1:], got[1:])


def run_example(shell, ex: Example, filename: str) -> tuple[list[str], BaseException | None]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        result = run_chunk(shell, "\n".join(ex.source), filename, ex.line - 1)
    error = result.error_in_exec or result.error_before_exec
    text = out.getvalue()
    lines = text.rstrip("\n").splitlines() if text.strip() else []
    if error is not None:
        lines.append(f"!! {type(error).__name__}")
        lines.extend(_explanation(error))
    return lines, error


def _explanation(error) -> list[str]:
    """The error's plain explanation (the panel's text without its title)."""
    from .display.errors import error_text
    text = error_text(error)
    body = text.split("\n", 1)[1] if text and "\n" in text else str(error)
    return body.splitlines()


def _split_error(lines):
    for k, line in enumerate(lines):
        if line.startswith("!! "):
            return lines[:k], line[3:].strip(), lines[k + 1:]
    return lines, None, []


def _error_matches(expected: list[str], error, got: list[str]) -> bool:
    """Output before ``!! Name`` must match; the error must be (a subclass of) Name; lines
    after it, when given, must match the explanation (``...`` skips what is not shown)."""
    out_e, want, explain_e = _split_error(expected)
    out_g, _, explain_g = _split_error(got)
    if want is None:
        return error is None and output_matches(expected, got)
    if error is None or want not in {c.__name__ for c in type(error).__mro__}:
        return False
    return output_matches(out_e, out_g) and (
        not explain_e or output_matches(explain_e, explain_g))


def run_tests(path: str, update: bool = False, device: str = "/cpu:0") -> int:
    """``tensorshell test FILE.tsh``: check every example; exit 1 when any differs. The
    session's default device is pinned (``/cpu:0`` unless asked), so expected output does not
    depend on the machine having a GPU."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    state.color = state.color_errors = False
    shell = make_shell(fresh=True)
    from .engine import devices
    devices.set_default(devices.lookup(device))
    examples = parse_examples(text)
    passed = failed = 0
    results = []
    for ex in examples:
        got, error = run_example(shell, ex, path)
        results.append(got)
        if _error_matches(ex.expected, error, got):
            passed += 1
            continue
        failed += 1
        if not update:
            print(f"{path}:{ex.line}: example failed\n    {PROMPT}"
                  + f"\n    {CONT}".join(ex.source))
            print("  expected:\n" + "".join(f"    {line}\n" for line in ex.expected)
                  + "  got:\n" + "".join(f"    {line}\n" for line in got), end="")
    if update:
        _rewrite(path, text, examples, results)
        print(f"{path}: updated {failed} example(s), {passed} unchanged")
        return 0
    print(f"{path}: {passed} passed, {failed} failed")
    return 1 if failed else 0


def _rewrite(path, text, examples, results):
    lines = text.splitlines()
    out, pos = [], 0
    for ex, got in zip(examples, results):
        first_expected = ex.line - 1 + len(ex.source)
        out.extend(lines[pos:first_expected])
        # keep the blank lines that separated the old expected output from what follows
        out.extend(got)
        pos = ex.end
    out.extend(lines[pos:])
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
