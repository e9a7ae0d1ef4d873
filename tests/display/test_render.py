"""Rendering tensors: golden strings at a fixed width, colour off and on, over dtypes, shapes,
devices and NaN/Inf; HTML well-formed and self-contained; summaries bounded and crash-free."""

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from rich.console import Console

import tensorshell as ts
from tensorshell.display import render_html, render_text, summarize
from tensorshell.display.render import TensorView
from tensorshell.display.summary import SAMPLE_LIMIT, sparkline
from tensorshell.engine import dtypes as D

from .golden import check_golden


def values(dtype, shape):
    """Deterministic values of any dtype (no RNG: golden files must not depend on NumPy's
    random streams)."""
    n = int(np.prod(shape))
    base = np.sin(np.arange(n) * 1.7) * 3
    if dtype is D.bool:
        arr = base > 0
    elif dtype is D.string:
        words = np.array([b"a", b"bc", b"", b"xyz"], dtype=object)
        arr = words[np.arange(n) % 4]
    elif dtype.is_integer:
        arr = np.round(base * 10).astype(np.int64)
        if dtype.is_unsigned:
            arr = np.abs(arr)
        arr = arr.astype(dtype.np_dtype)
    elif dtype.is_complex:
        arr = (base + 1j * np.cos(np.arange(n))).astype(dtype.np_dtype)
    else:
        arr = base.astype(dtype.np_dtype)
    return arr.reshape(shape)


SHAPES = {"scalar": (), "empty": (0,), "empty2d": (2, 0), "vector": (5,), "long": (40,),
          "matrix": (3, 4), "large": (50, 60), "4d": (2, 3, 2, 2)}


@pytest.mark.parametrize("shape_name", list(SHAPES))
@pytest.mark.parametrize("dtype", [D.float32, D.float64, D.float16, D.int32, D.uint8, D.bool,
                                   D.complex64, D.string], ids=lambda d: d.name)
def test_golden_plain(dtype, shape_name):
    t = ts.constant(values(dtype, SHAPES[shape_name]), dtype=dtype)
    check_golden(f"plain-{dtype.name}-{shape_name}", render_text(t))


def _ansi(t, width=80):
    buf = io.StringIO()
    Console(file=buf, force_terminal=True, force_jupyter=False, color_system="standard",
            width=width, legacy_windows=False).print(TensorView(t))
    return buf.getvalue()


@pytest.mark.parametrize("case", ["float-matrix", "int-vector", "bool-long", "nan-inf",
                                  "variable"])
def test_golden_colour(case):
    t = {"float-matrix": lambda: ts.constant(values(D.float32, (3, 4))),
         "int-vector": lambda: ts.constant(values(D.int32, (12,))),
         "bool-long": lambda: ts.constant(values(D.bool, (20,))),
         "nan-inf": lambda: ts.constant([1., np.nan, np.inf, -np.inf, 0., 2., 3., 4., 5.]),
         "variable": lambda: ts.Variable(values(D.float32, (2, 2)), name="w")}[case]()
    check_golden(f"colour-{case}", _ansi(t))


@pytest.mark.parametrize("spec", ["/cpu:0", "/cpu:1"])
def test_golden_per_device(spec):
    with ts.device(spec):
        t = ts.constant(values(D.float32, (3, 4)))
    check_golden(f"plain-device-{spec.strip('/').replace(':', '')}", render_text(t))
    check_golden(f"colour-device-{spec.strip('/').replace(':', '')}", _ansi(t))


def test_device_shows_in_the_header(device):
    t = ts.constant([1., 2.])
    header = render_text(t).splitlines()[0]
    assert header == f"Tensor[2] float32 {t._device.short}"


def test_nan_inf_and_zero_flags():
    text = render_text(ts.constant([1., np.nan, np.inf, -np.inf, 0., 2., 3., 4., 5.]))
    assert text.splitlines()[-1].endswith("NaN×1  +Inf×1  -Inf×1")
    assert "all zeros" in render_text(ts.zeros((3, 4)))
    ints = render_text(ts.constant([0, 1, 1, 2, 0, 1, 1, 1, 2, 0]))
    assert "counts 0:3 1:5 2:2" in ints


def test_print_options_are_the_policy():
    t = ts.constant([1 / 3, 2 / 3], ts.float64)
    assert render_text(t).splitlines()[1] == "[0.3333 0.6667]"
    ts.config.set_print_options(precision=2)
    assert render_text(t).splitlines()[1] == "[0.33 0.67]"
    ts.config.set_print_options(threshold=5, edgeitems=1)
    assert render_text(ts.range(10)).splitlines()[1] == "[0 ... 9]"
    with pytest.raises(ValueError, match="unknown print options"):
        ts.config.set_print_options(color=True)


def test_variables_show_name_and_mutability():
    v = ts.Variable([[1, 2], [3, 4]], name="w")
    assert render_text(v).splitlines()[0] == "Variable 'w:0' [2, 2] int32 cpu:0 mutable"


def test_repr_stays_tensorflow_like():
    t = ts.constant([1., 2.])
    assert repr(t).startswith("<ts.Tensor: shape=(2,), dtype=float32, device=/cpu:0")


@pytest.mark.parametrize("dtype", D.ALL, ids=lambda d: d.name)
@pytest.mark.parametrize("shape", [(), (0,), (1,), (7,), (3, 5), (2, 0, 3), (2, 2, 2, 2)])
def test_never_crashes(dtype, shape):
    t = ts.constant(values(dtype, shape), dtype=dtype)
    for out in (render_text(t), render_html(t), _ansi(t)):
        assert out and "Traceback" not in out
    assert render_text(t).splitlines()[0].startswith("Tensor[")


@pytest.mark.parametrize("shape", [(3, 4), (64, 64), (40,), (2, 3, 4), ()])
def test_html_is_well_formed_and_self_contained(shape):
    t = ts.constant(values(D.float32, shape))
    page = render_html(t)
    ET.fromstring(f"<root>{page}</root>")  # well-formed
    lowered = page.lower()
    for bad in ("<script", "http:", "https:", "src=", "href=", "@import", "url("):
        if bad in ("http:",):
            lowered = lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert bad not in lowered
    if len(shape) == 2:
        assert 'aria-label="heatmap"' in page
    if shape == (40,):
        assert 'aria-label="histogram"' in page


def test_mimebundle_in_ipython_style_display():
    t = ts.constant([[1., 2.], [3., 4.]])
    bundle = t._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == render_text(t)
    assert set(t._repr_mimebundle_(include={"text/plain"})) == {"text/plain"}


def test_summary_of_a_huge_tensor_is_sampled_and_bounded():
    t = ts.zeros((2048, 2048)) + 1.0
    s = summarize(t)
    assert s.n == 2048 * 2048 and s.sampled is not None and s.sampled <= SAMPLE_LIMIT
    assert s.min == 1.0 and s.max == 1.0
    assert "(stats from" in render_text(t)
    small = summarize(ts.constant([1., 2., 3.]))
    assert small.sampled is None and small.mean == 2.0


def test_sparkline():
    assert sparkline((0, 1, 8)) == " ▁█"
    assert sparkline(()) == ""
