"""Errors that explain themselves: panels for every tensorshell error, golden text for the
common failures, user frames kept and engine frames hidden."""

import io
import os

import pytest
from rich.console import Console

import tensorshell as ts
from tensorshell.display.errors import error_text, render_error, user_frames
from tensorshell.engine import errors as E

from .golden import check_golden

ERROR_CLASSES = [c for c in vars(E).values()
                 if isinstance(c, type) and issubclass(c, E.OpError)]


def _raise(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return e
    raise AssertionError("expected an error")


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_has_a_rendering(cls):
    e = cls(None, None, "something failed")
    assert error_text(e).splitlines()[:2] == [cls.__name__, "something failed"]
    assert render_error(e) is not None


CASES = {
    "dtype-mismatch": lambda: ts.constant(2.0) + ts.constant(40),
    "float64-mismatch": lambda: ts.ones((2, 2)) * ts.ones((2, 2), ts.float64),
    "weak-value": lambda: ts.constant([1, 2]) + 1.5,
    "broadcast": lambda: ts.ones((4, 2, 3)) * ts.ones((5, 3)),
    "matmul": lambda: ts.matmul(ts.ones((2, 3)), ts.ones((2, 3))),
    "not-allowed": lambda: ts.math.log(ts.constant([1, 2])),
    "index": lambda: ts.constant([1, 2, 3])[5],
    "division": lambda: ts.constant(7) // 0,
}


@pytest.mark.parametrize("case", list(CASES))
def test_golden_error_text(case):
    check_golden(f"error-{case}", error_text(_raise(CASES[case])))


def test_golden_error_panel_in_colour():
    buf = io.StringIO()
    Console(file=buf, force_terminal=True, force_jupyter=False, color_system="standard",
            width=80).print(render_error(_raise(CASES["dtype-mismatch"])))
    check_golden("error-panel-colour", buf.getvalue())


def test_fix_is_code_ready_to_paste():
    e = _raise(CASES["dtype-mismatch"])
    x, y = ts.constant(2.0), ts.constant(40)
    fixed = eval(f"x + {e.hint}", {"ts": ts, "x": x, "y": y})  # the hint runs as written
    assert float(fixed) == 42.0


def test_device_errors_show_where_and_the_way_out():
    ts.config.set_soft_device_placement(False)
    with ts.device("/gpu:7"):
        e = _raise(lambda: ts.constant(1.))
    text = error_text(e)
    assert "Could not satisfy device specification '/gpu:7'" in text
    assert "fix: ts.config.set_soft_device_placement(True)" in text


def test_foreign_exceptions_fall_back_to_a_traceback():
    assert render_error(ZeroDivisionError("x")) is None
    assert error_text(KeyError("k")) is None


def test_user_frames_hide_the_engine():
    def user_code():
        return ts.constant(1.) + ts.constant(1)

    e = _raise(user_code)
    frames = user_frames(e.__traceback__)
    package = os.path.dirname(ts.__file__)
    assert frames and not any(f.filename.startswith(package) for f in frames)
    assert frames[-1].name == "user_code"
    ts.config.set_show_internal_frames(True)
    assert len(user_frames(e.__traceback__)) > len(frames)


def test_only_broadcasting_errors_draw_the_broadcast_alignment():
    """The right-aligned shapes with a caret explain broadcasting; other ops' shape rules
    (a convolution's channels, concat's other axes) are in their message instead."""
    conv = error_text(_raise(lambda: ts.nn.conv2d(ts.ones((1, 3, 3, 2)),
                                                  ts.ones((2, 2, 1, 1)), 1, "VALID")))
    assert "input depth 2 does not match the filters' input depth 1" in conv
    assert "^" not in conv
    broadcast = error_text(_raise(CASES["broadcast"]))
    assert "^" in broadcast and "does not match" in broadcast
    where = error_text(_raise(lambda: ts.where(ts.ones((2, 3)) > 0, ts.ones(4), ts.ones(4))))
    assert "^" in where
