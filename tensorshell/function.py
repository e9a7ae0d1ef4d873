"""``ts.function`` and ``ts.TensorSpec``: TensorFlow's graph compiler, as a pass-through.

tensorshell always executes eagerly, so ``@ts.function`` code runs exactly as written, line
by line, with Python's own control flow, prints and breakpoints. What TensorFlow does at
the boundary stays: outputs come back as tensors (``ts.function(lambda x: x ** 3)(2)`` is
an int32 tensor, as in TensorFlow); with an ``input_signature`` the arguments are bound to
it, Python values are converted to tensors of the declared dtype, and a tensor of another
dtype or an incompatible shape raises TypeError with TensorFlow's wording. Code written for
TensorFlow (``@tf.function(jit_compile=True)``, ``reduce_retracing=True``, ...) runs
unchanged.

>>> @ts.function(input_signature=[ts.TensorSpec(shape=[None], dtype=ts.float32)])
... def double(x):
...     return x * 2
>>> double([1., 2.])           # a float32 tensor [2., 4.]
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from .engine import dtypes
from .engine.tensor import Tensor, TensorShape, convert_to_tensor


class TensorSpec:
    """The shape (``None`` for any size) and dtype a tensor argument must have.

    >>> ts.TensorSpec(shape=[None, 3], dtype=ts.float32)
    TensorSpec(shape=(None, 3), dtype=ts.float32, name=None)
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name=None) -> "TensorSpec":
        t = convert_to_tensor(tensor)
        return cls(t.shape, t.dtype, name)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    def is_compatible_with(self, spec_or_value) -> bool:
        """Same dtype, and every known dimension equal (``None`` matches any size)."""
        other = spec_or_value if isinstance(spec_or_value, TensorSpec) else \
            TensorSpec.from_tensor(spec_or_value)
        return other.dtype is self.dtype and _shapes_compatible(self.shape, other.shape)

    def __eq__(self, other):
        return (type(other) is type(self) and self.dtype is other.dtype
                and self.shape == other.shape and self.name == other.name)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.name))

    def __repr__(self):
        dims = self._shape.as_list() if self._shape else None
        shape = "None" if dims is None else str(tuple(dims))
        return f"TensorSpec(shape={shape}, dtype=ts.{self._dtype.name}, name={self._name!r})"


def _as_outputs(value):
    """What a TensorFlow function returns: its outputs as tensors (Python numbers, NumPy
    values and Variables converted, None kept), in their structure."""
    if value is None or isinstance(value, Tensor):
        return value
    if getattr(value, "_is_variable", False):
        return value.value()
    if isinstance(value, (bool, int, float, complex, str, bytes, np.ndarray, np.generic)):
        return convert_to_tensor(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_as_outputs(v) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_as_outputs(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_outputs(v) for k, v in value.items()}
    return value


def _shapes_compatible(a: TensorShape, b: TensorShape) -> bool:
    if not a or not b:  # unknown rank on either side
        return True
    da, db = a.as_list(), b.as_list()
    return len(da) == len(db) and all(x is None or y is None or x == y for x, y in zip(da, db))


class Function:
    """What ``@ts.function`` returns: the Python function, called eagerly."""

    def __init__(self, python_function, input_signature=None):
        self._python_function = python_function
        self._input_signature = None if input_signature is None else tuple(input_signature)
        for spec in self._input_signature or ():
            if not isinstance(spec, TensorSpec):
                raise TypeError(f"input_signature must be a sequence of ts.TensorSpec, got "
                                f"{spec!r}")
        self._signature = inspect.signature(python_function)
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def __call__(self, *args, **kwargs):
        if self._input_signature is not None:
            args, kwargs = self._bind(args, kwargs)
        return _as_outputs(self._python_function(*args, **kwargs))

    def get_concrete_function(self, *args, **kwargs):
        """TensorFlow traces a graph here; eagerly there is nothing to trace, so the
        function itself (arguments still checked against the signature) is returned."""
        return self

    def __get__(self, instance, owner):
        # @ts.function on a method: bind like a plain function would
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def __repr__(self):
        return f"<ts.function {self._python_function.__qualname__} (runs eagerly)>"

    def _bind(self, args, kwargs):
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as e:
            raise self._failure(str(e), args, kwargs) from None
        names = list(self._signature.parameters)[:len(self._input_signature)]
        for name, spec in zip(names, self._input_signature):
            if name not in bound.arguments:
                continue
            value = bound.arguments[name]
            if type(spec) is not TensorSpec and hasattr(spec, "value_type"):  # ragged, sparse
                if not spec.is_compatible_with(value):
                    raise self._failure(f"Can not cast {value!r} to {spec!r}", args, kwargs)
                continue
            if isinstance(value, Tensor) or getattr(value, "_is_variable", False):
                got = TensorSpec(value.shape, value.dtype)
            else:
                try:
                    value = convert_to_tensor(value, dtype=spec.dtype)
                except (TypeError, ValueError) as e:
                    raise self._failure(str(e), args, kwargs) from None
                got = TensorSpec(value.shape, value.dtype)
            if not spec.is_compatible_with(got):
                raise self._failure(f"Can not cast {got!r} to {spec!r}", args, kwargs)
            bound.arguments[name] = value
        return bound.args, bound.kwargs

    def _failure(self, why, args, kwargs):
        sig = ", ".join(f"{n}: {s!r}" for n, s in zip(self._signature.parameters,
                                                      self._input_signature))
        return TypeError(f"Binding inputs to ts.function failed due to `{why}`. Received "
                         f"args: {args!r} and kwargs: {kwargs!r} for signature: ({sig}).")


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None, name=None):
    """``@ts.function`` / ``@ts.function(input_signature=[...])``: the function runs eagerly
    (tensorshell has no graphs); an ``input_signature`` is enforced as TensorFlow does."""
    # autograph, jit_compile, reduce_retracing ... shape graphs; eagerly they change nothing
    if func is None:
        return lambda f: Function(f, input_signature)
    return Function(func, input_signature)


def executing_eagerly() -> bool:
    """Always True: tensorshell has no graph mode."""
    return True


# -- Python and NumPy functions as ops --------------------------------------------------------

def _tout_list(Tout):  # noqa: N803 - TensorFlow's argument name
    if Tout is None:
        return None, True
    if isinstance(Tout, (list, tuple)):
        return [dtypes.as_dtype(getattr(d, "dtype", d)) for d in Tout], False
    return [dtypes.as_dtype(getattr(Tout, "dtype", Tout))], True


def _outputs(what, result, Tout, convert):  # noqa: N803
    douts, single = _tout_list(Tout)
    if douts is None:
        return None
    values = [result] if single else list(result) if isinstance(result, (list, tuple)) \
        else [result]
    if len(values) != len(douts):
        raise ValueError(f"{what}: the function returned {len(values)} values for "
                         f"{len(douts)} dtypes in Tout")
    out = [convert(v, d, i) for i, (v, d) in enumerate(zip(values, douts))]
    return out[0] if single else out


def _check_dtype(what, i, got, want, fix):
    if got is not want:
        from .engine.errors import InvalidArgumentError
        raise InvalidArgumentError(
            None, None, f"{what}: value {i} returned by the function is {got.name}, but Tout "
            f"says {want.name}; cast it in the function (or change Tout)", op_name=what,
            kind="dtype", hint=fix.format(want.name))


def py_function(func, inp, Tout, name=None):  # noqa: N803 - TensorFlow's argument names
    """Run the Python function ``func`` on the tensors ``inp`` and return its results as
    tensors of the dtypes ``Tout`` (one dtype, or a list). Python values convert to those
    dtypes losslessly; a tensor of another dtype raises. A tape records through ``func``,
    so gradients flow as in TensorFlow.

    >>> ts.py_function(lambda x: x * 2, [ts.constant(3.)], Tout=ts.float32)   # 6.0
    """
    args = [convert_to_tensor(x) for x in inp]

    def convert(v, dtype, i):
        if isinstance(v, Tensor) or getattr(v, "_is_variable", False):
            _check_dtype("py_function", i, v.dtype, dtype, "return ts.cast(value, ts.{})")
            return v.value() if getattr(v, "_is_variable", False) else v
        return convert_to_tensor(v, dtype=dtype)
    return _outputs("py_function", func(*args), Tout, convert)


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803
    """Run ``func`` on NumPy arrays made from ``inp`` and return its arrays as tensors of
    the dtypes ``Tout``. An array of another dtype raises (TensorFlow's graph mode does;
    its eager mode silently returns the other dtype). No gradient flows through ``func``.

    >>> ts.numpy_function(np.sort, [ts.constant([3., 1., 2.])], Tout=ts.float32)
    """
    args = [convert_to_tensor(x).numpy() for x in inp]

    def convert(v, dtype, i):
        if isinstance(v, (np.ndarray, np.generic)):
            _check_dtype("numpy_function", i, dtypes.from_numpy(np.asarray(v).dtype), dtype,
                         "return value.astype(np.{})")
            return convert_to_tensor(np.asarray(v))
        return convert_to_tensor(v, dtype=dtype)
    return _outputs("numpy_function", func(*args), Tout, convert)
