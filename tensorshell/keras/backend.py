"""`ts.keras.backend`: Keras' low-level API, usually imported as ``K``.

>>> K = ts.keras.backend
>>> K.square(K.transpose(t)) + 10

These are the Keras 1/2 backend functions that TensorFlow 2 still ships under
``tf.keras.backend`` (``K.square``, ``K.mean``, ``K.dot``, ``K.epsilon``, ``K.rnn`` ...),
written over tensorshell's ops with the same arguments, defaults and results, so code that
uses them runs unchanged (and is differentiable, on any device). They follow Keras' global
settings: ``floatx()`` is the dtype of ``K.constant``, ``K.variable``, ``K.zeros`` and the
random functions; ``epsilon()`` the fuzz factor of the cross-entropies;
``image_data_format()`` the layout of the convolutions and poolings.

New code can call the ts ops directly (``ts.square``, ``ts.reduce_mean``): as TensorFlow's
guide says, these functions mostly exist so that older Keras code keeps running.

Ported from Keras' ``keras/src/legacy/backend.py`` (Apache License 2.0).
"""

from __future__ import annotations

import builtins
import collections
import functools
import gc
import math as _math

import numpy as np

import tensorshell as tf

__all__ = [
    "abs", "all", "any", "arange", "argmax", "argmin", "backend", "batch_dot",
    "batch_flatten", "batch_get_value", "batch_normalization", "batch_set_value", "bias_add",
    "binary_crossentropy", "binary_focal_crossentropy", "cast", "cast_to_floatx",
    "categorical_crossentropy", "categorical_focal_crossentropy", "clear_session", "clip",
    "concatenate", "constant", "conv1d", "conv2d", "conv2d_transpose", "conv3d", "cos",
    "count_params", "ctc_batch_cost", "ctc_decode", "ctc_label_dense_to_sparse", "cumprod",
    "cumsum", "depthwise_conv2d", "dot", "dropout", "dtype", "elu",
    "epsilon", "equal", "eval", "exp", "expand_dims", "eye", "flatten", "floatx", "foldl",
    "foldr", "gather", "get_uid", "get_value", "gradients", "greater", "greater_equal",
    "hard_sigmoid", "image_data_format", "in_top_k", "int_shape", "is_float_dtype",
    "is_int_dtype", "is_keras_tensor", "is_sparse", "l2_normalize", "less", "less_equal", "log",
    "map_fn", "max", "maximum", "mean", "min", "minimum", "moving_average_update", "name_scope",
    "ndim", "not_equal", "one_hot", "ones", "ones_like", "permute_dimensions", "pool2d",
    "pool3d", "pow", "prod", "random_bernoulli", "random_normal", "random_normal_variable",
    "random_uniform", "random_uniform_variable", "relu", "repeat", "repeat_elements",
    "reshape", "resize_images", "resize_volumes", "result_type", "reverse", "rnn", "round",
    "separable_conv2d", "set_epsilon", "set_floatx", "set_image_data_format", "set_value",
    "shape", "sigmoid", "sign", "sin", "softmax", "softplus", "softsign",
    "sparse_categorical_crossentropy", "spatial_2d_padding", "spatial_3d_padding", "sqrt",
    "square", "squeeze", "stack", "standardize_dtype", "std", "stop_gradient", "sum", "switch",
    "tanh", "temporal_padding", "tile", "to_dense", "transpose", "truncated_normal", "update",
    "update_add", "update_sub", "var", "variable", "zeros", "zeros_like",
]

# ---------------------------------------------------------------------------------------------
# Global settings (keras.config)
# ---------------------------------------------------------------------------------------------

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_UIDS: collections.defaultdict = collections.defaultdict(int)


def floatx() -> str:
    """The default float type, as a string (``"float32"`` unless ``set_floatx`` changed it)."""
    return _FLOATX


def set_floatx(value) -> None:
    """Set the default float type: ``"bfloat16"``, ``"float16"``, ``"float32"`` or
    ``"float64"``."""
    global _FLOATX
    accepted = {"bfloat16", "float16", "float32", "float64"}
    if value not in accepted:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {accepted}")
    _FLOATX = str(value)


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (``1e-7`` by default)."""
    return _EPSILON


def set_epsilon(value) -> None:
    global _EPSILON
    _EPSILON = value


def image_data_format() -> str:
    """``"channels_last"`` (the default) or ``"channels_first"``."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format) -> None:
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("The `data_format` argument must be one of "
                         "{'channels_first', 'channels_last'}. "
                         f"Received: data_format={data_format}")
    _IMAGE_DATA_FORMAT = data_format


def backend() -> str:
    """The name of the backend: ``"tensorflow"``, since tensorshell stands in for it, so code
    that branches on ``K.backend()`` takes its TensorFlow path."""
    return "tensorflow"


def clear_session(free_memory=True) -> None:
    """Reset Keras' global state (the ``get_uid`` counters); with ``free_memory``, also run
    Python's garbage collector."""
    _UIDS.clear()
    if free_memory:
        gc.collect()


def get_uid(prefix="") -> int:
    """A counter per ``prefix``: 1, 2, 3 ... (reset by ``clear_session``)."""
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic Keras tensor: never, here (tensorshell runs eagerly)."""
    return False


# ---------------------------------------------------------------------------------------------
# Dtypes: Keras' names and promotion lattice
# ---------------------------------------------------------------------------------------------

_INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
_ALLOWED_DTYPES = ("float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64",
                   "int8", "int16", "int32", "int64", "bfloat16", "bool", "string",
                   "float8_e4m3fn", "float8_e5m2", "complex64", "complex128")
_PYTHON_DTYPES = {builtins.bool: "bool", int: "int64", float: "float32", str: "string",
                  "int": "int64", complex: "complex128"}


def standardize_dtype(dtype) -> str:
    """Keras' name for ``dtype`` (a ts dtype, NumPy dtype, Python type or name); ``None`` is
    ``floatx()``."""
    if dtype is None:
        return floatx()
    dtype = _PYTHON_DTYPES.get(dtype, dtype) if _hashable(dtype) else dtype
    if hasattr(dtype, "name"):
        dtype = dtype.name
    elif hasattr(dtype, "__name__"):
        dtype = dtype.__name__
    if dtype not in _ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype}")
    return dtype


def _hashable(x) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def is_float_dtype(dtype) -> bool:
    dtype = standardize_dtype(dtype)
    return dtype.startswith("float") or dtype.startswith("bfloat")


def is_int_dtype(dtype) -> bool:
    dtype = standardize_dtype(dtype)
    return dtype.startswith("int") or dtype.startswith("uint")


# Keras' type promotion lattice (after JAX's): each type -> the types just above it; "int"
# and "float" are the weak types of Python scalars.
_LATTICE = {
    "bool": ["int"], "uint8": ["int16", "uint16"], "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"], "uint64": ["float"], "int": ["uint8", "int8", "complex64"],
    "int8": ["int16"], "int16": ["int32"], "int32": ["int64"], "int64": ["float"],
    "float": ["bfloat16", "float16"], "bfloat16": ["float32"], "float16": ["float32"],
    "float32": ["float64", "complex64"], "float64": ["complex128"],
    "complex64": ["complex128"], "complex128": [],
}


def _upper_bounds():
    bounds = {node: {node} for node in _LATTICE}
    for node in _LATTICE:
        while True:
            more = set().union(*(_LATTICE[b] for b in bounds[node]))
            if more <= bounds[node]:
                break
            bounds[node] |= more
    return bounds


_UPPER_BOUNDS = _upper_bounds()


@functools.lru_cache(512)
def _least_upper_bound(*nodes):
    nodes = set(nodes)
    try:
        bounds = [_UPPER_BOUNDS[n] for n in nodes]
    except KeyError:
        bad = next(n for n in nodes if n not in _UPPER_BOUNDS)
        raise ValueError(f"dtype={bad!r} is not a valid dtype for Keras type promotion.") \
            from None
    common = set.intersection(*bounds)
    least = (common & nodes) or {c for c in common if common <= _UPPER_BOUNDS[c]}
    if len(least) != 1:
        raise ValueError(f"Input dtypes {tuple(str(n) for n in nodes)} have no available "
                         "implicit dtype promotion path. Try explicitly casting inputs to the "
                         "desired output type.")
    return least.pop()


def _weak(dtype, weak):
    if not weak or dtype == "bool":
        return dtype
    for kind in ("float", "int", "complex"):
        if kind in dtype:
            return kind
    raise ValueError(f"Invalid value for argument `dtype`. Expected one of {_ALLOWED_DTYPES}. "
                     f"Received: dtype={dtype}")


def result_type(*dtypes) -> str:
    """The dtype Keras' promotion rules give ``dtypes`` (Python ``int``/``float`` are weak:
    they take the other operand's width). Note that tensorshell's ops themselves never
    promote: this only answers what Keras would choose."""
    if not dtypes:
        return floatx()
    for d in dtypes:
        if d in ("float8_e4m3fn", "float8_e5m2"):
            raise ValueError("There is no implicit conversions from float8 dtypes to others. "
                             f"You must cast it internally. Received: {dtypes}")
    args = [floatx() if d is None else d for d in dtypes]
    names = [standardize_dtype(a) for a in args]
    weak = [a is int or a is float for a in args]
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not builtins.all(weak):
        out, out_weak = names[0], False
    elif builtins.all(weak):
        out, out_weak = _least_upper_bound(*set(names)), True
    else:
        out = _least_upper_bound(*{_weak(n, w) for n, w in zip(names, weak)})
        out_weak = out in ("int", "float")
    if out != "bool" and out_weak:
        precision = floatx()[-2:]
        kind = "f" if out == "bfloat16" else out[:1]
        out = {"b": "bool", "i": f"int{precision}", "u": f"uint{precision}"}.get(
            kind, f"float{precision}")
    return {"uint64": "uint32", "complex128": "complex64"}.get(out, out)


# ---------------------------------------------------------------------------------------------
# Variables and values
# ---------------------------------------------------------------------------------------------

def constant(value, dtype=None, shape=None, name=None):
    """``ts.constant`` with ``floatx()`` as the default dtype."""
    return tf.constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def variable(value, dtype=None, name=None, constraint=None):
    """A ``ts.Variable`` of ``dtype`` (``floatx()`` by default)."""
    if dtype is None:
        dtype = floatx()
    if hasattr(value, "tocoo"):            # a SciPy sparse matrix
        coo = value.tocoo()
        return tf.SparseTensor(indices=np.stack([coo.row, coo.col], 1), values=coo.data,
                               dense_shape=coo.shape)
    return tf.Variable(value, dtype=tf.as_dtype(dtype), name=name, constraint=constraint)


def _variable_unless_empty(value, dtype, name):
    return variable(value, dtype=dtype, name=name) if builtins.all(value.shape.as_list()) \
        else value


def zeros(shape, dtype=None, name=None):
    """A Variable of zeros (a plain tensor when ``shape`` has a zero)."""
    dtype = dtype or floatx()
    return _variable_unless_empty(tf.zeros(shape, dtype=tf.as_dtype(dtype)), dtype, name)


def ones(shape, dtype=None, name=None):
    """A Variable of ones (a plain tensor when ``shape`` has a zero)."""
    dtype = dtype or floatx()
    return _variable_unless_empty(tf.ones(shape, dtype=tf.as_dtype(dtype)), dtype, name)


def eye(size, dtype=None, name=None):
    """An identity-matrix Variable."""
    dtype = dtype or floatx()
    return variable(tf.eye(size, dtype=tf.as_dtype(dtype)), dtype, name)





def cast_to_floatx(x):
    """``x`` as ``floatx()``: a tensor for tensors, a NumPy array otherwise."""
    if isinstance(x, (tf.Tensor, tf.Variable, tf.SparseTensor)):
        return tf.cast(x, dtype=floatx())
    return np.asarray(x, dtype=floatx())


def dtype(x) -> str:
    """``x``'s dtype name, e.g. ``"float32"``."""
    return x.dtype.base_dtype.name


def int_shape(x):
    """The static shape as a tuple of ints (``None`` where unknown)."""
    try:
        shape = x.shape
        return shape if isinstance(shape, tuple) else tuple(shape.as_list())
    except ValueError:
        return None


def ndim(x):
    """The rank."""
    shape = x.shape
    return len(shape) if isinstance(shape, tuple) else shape.rank



def count_params(x) -> int:
    return _math.prod(x.shape.as_list())


def is_sparse(tensor) -> bool:
    return isinstance(tensor, tf.SparseTensor)


def to_dense(tensor):
    return tf.sparse.to_dense(tensor) if is_sparse(tensor) else tensor


def get_value(x):
    """``x``'s value as a NumPy array (anything that is not a tensor comes back as is)."""
    return x.numpy() if tf.is_tensor(x) else x


def eval(x):  # noqa: A001 - Keras' name
    return get_value(to_dense(x))


def batch_get_value(tensors):
    return [x.numpy() for x in tensors]


def set_value(x, value):
    """Assign the NumPy value ``value`` to the Variable ``x``."""
    x.assign(np.asarray(value, dtype=x.dtype.name))


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def update(x, new_x):
    return x.assign(new_x)


def update_add(x, increment):
    return x.assign_add(increment)


def update_sub(x, decrement):
    return x.assign_sub(decrement)


def moving_average_update(x, value, momentum):
    """``x -= (x - value) * (1 - momentum)``, the update of a moving average."""
    momentum = tf.cast(momentum, x.dtype)
    value = tf.cast(value, x.dtype)
    return x.assign_sub((x - value) * (1 - momentum))



def gradients(loss, variables):
    raise RuntimeError("K.gradients (tf.gradients) is not supported when eager execution is "
                       "enabled. Use ts.GradientTape instead: `with ts.GradientTape() as tape: "
                       "loss = ...`, then `tape.gradient(loss, variables)`.")


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [tf.stop_gradient(v) for v in variables]
    return tf.stop_gradient(variables)


# ---------------------------------------------------------------------------------------------
# Element-wise math and reductions
# ---------------------------------------------------------------------------------------------



def sqrt(x):
    """The square root, with negative inputs clipped to 0 first (so never NaN)."""
    return tf.sqrt(tf.maximum(x, tf.convert_to_tensor(0.0, x.dtype)))











def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``."""
    x = tf.add(tf.multiply(x, tf.convert_to_tensor(0.2, x.dtype)),
               tf.convert_to_tensor(0.5, x.dtype))
    return tf.clip_by_value(x, 0.0, 1.0)












# Functions that are the ts op itself under Keras' name (the same arguments).
abs, square, exp, log, pow, round = (  # noqa: A001 - Keras' names
    tf.abs, tf.square, tf.exp, tf.math.log, tf.pow, tf.round)
sign, sin, cos, tanh, sigmoid = tf.sign, tf.sin, tf.cos, tf.tanh, tf.sigmoid
softplus, softsign = tf.math.softplus, tf.math.softsign
equal, not_equal, greater, greater_equal = tf.equal, tf.not_equal, tf.greater, tf.greater_equal
less, less_equal, maximum, minimum = tf.less, tf.less_equal, tf.maximum, tf.minimum
sum, prod, max, min = (  # noqa: A001 - Keras' names
    tf.reduce_sum, tf.reduce_prod, tf.reduce_max, tf.reduce_min)
cumsum, cumprod, l2_normalize = tf.cumsum, tf.math.cumprod, tf.linalg.l2_normalize
cast, shape, reshape, transpose, permute_dimensions = (tf.cast, tf.shape, tf.reshape,
                                                        tf.transpose, tf.transpose)
gather, stack, zeros_like, ones_like, name_scope = (tf.gather, tf.stack, tf.zeros_like,
                                                     tf.ones_like, tf.name_scope)


def clip(x, min_value, max_value):
    """``x`` clipped to ``[min_value, max_value]`` (``None``: unbounded; a ``max_value`` below
    ``min_value`` becomes ``min_value``)."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) \
            and max_value < min_value:
        max_value = min_value
    return tf.clip_by_value(x, -np.inf if min_value is None else min_value,
                            np.inf if max_value is None else max_value)


def _floatx_if_bool(x):
    return tf.cast(x, floatx()) if x.dtype.base_dtype == tf.bool else x




def mean(x, axis=None, keepdims=False):
    """``ts.reduce_mean``; booleans count as ``floatx()`` 0s and 1s."""
    return tf.reduce_mean(_floatx_if_bool(x), axis, keepdims)


def std(x, axis=None, keepdims=False):
    return tf.math.reduce_std(_floatx_if_bool(x), axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return tf.math.reduce_variance(_floatx_if_bool(x), axis=axis, keepdims=keepdims)




def all(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_all(tf.cast(x, tf.bool), axis, keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_any(tf.cast(x, tf.bool), axis, keepdims)


def argmax(x, axis=-1):
    return tf.argmax(x, axis)


def argmin(x, axis=-1):
    return tf.argmin(x, axis)





def in_top_k(predictions, targets, k):
    """Whether each target is among its row's ``k`` largest predictions."""
    return tf.math.in_top_k(targets, predictions, k)


# ---------------------------------------------------------------------------------------------
# Shapes and rearranging
# ---------------------------------------------------------------------------------------------


def flatten(x):
    return tf.reshape(x, [-1])


def batch_flatten(x):
    """``x`` as ``[batch, everything else]``."""
    return tf.reshape(x, [-1, _math.prod(x.shape.as_list()[1:])])


def expand_dims(x, axis=-1):
    return tf.expand_dims(x, axis)


def squeeze(x, axis):
    return tf.squeeze(x, [axis])



def concatenate(tensors, axis=-1):
    """``ts.concat`` that also joins SparseTensors (all sparse) and RaggedTensors."""
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    if builtins.all(is_sparse(x) for x in tensors):
        return tf.sparse.concat(axis, tensors)
    if builtins.all(isinstance(x, tf.RaggedTensor) for x in tensors):
        return tf.concat(tensors, axis)
    return tf.concat([to_dense(x) for x in tensors], axis)




def reverse(x, axes):
    return tf.reverse(x, [axes] if isinstance(axes, int) else axes)


def tile(x, n):
    return tf.tile(x, [n] if isinstance(n, int) else n)


def repeat(x, n):
    """A ``[batch, dim]`` tensor repeated ``n`` times: ``[batch, n, dim]``."""
    if ndim(x) != 2:
        raise ValueError(f"Expected input `x` to have rank 2. Received: rank(x)={ndim(x)}")
    return tf.tile(tf.expand_dims(x, 1), [1, n, 1])


def repeat_elements(x, rep, axis):
    """Each slice of ``x`` along ``axis`` repeated ``rep`` times, as ``np.repeat``."""
    return tf.repeat(x, rep, axis=axis)



def one_hot(indices, num_classes):
    return tf.one_hot(indices, depth=num_classes, axis=-1)


def arange(start, stop=None, step=1, dtype="int32"):
    """``ts.range`` as ``np.arange``: a negative lone ``start`` gives an empty range."""
    if stop is None and start < 0:
        start = 0
    result = tf.range(start, limit=stop, delta=step)
    return result if dtype == "int32" else tf.cast(result, dtype)


def temporal_padding(x, padding=(1, 1)):
    """Zeros before and after the middle axis of a 3-D tensor."""
    if len(padding) != 2:
        raise ValueError("Expected `padding` to be a tuple of 2 integers. "
                         f"Received: padding={padding}")
    return tf.pad(x, [[0, 0], list(padding), [0, 0]])


def _data_format(data_format):
    data_format = data_format or image_data_format()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(f"Unknown data_format: {data_format}")
    return data_format


def _spatial_padding(x, padding, data_format, n):
    if len(padding) != n or builtins.any(not isinstance(p, (list, tuple)) or len(p) != 2
                                         for p in padding):
        raise ValueError(f"Expected `padding` to be a tuple of {n} tuples of 2 integers. "
                         f"Received: padding={padding}")
    pads = [list(p) for p in padding]
    if _data_format(data_format) == "channels_first":
        return tf.pad(x, [[0, 0], [0, 0]] + pads)
    return tf.pad(x, [[0, 0]] + pads + [[0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    return _spatial_padding(x, padding, data_format, 2)


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    return _spatial_padding(x, padding, data_format, 3)


_INTERPOLATIONS = ("area", "bicubic", "bilinear", "gaussian", "lanczos3", "lanczos5",
                   "mitchellcubic", "nearest")


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """A 4-D batch of images scaled up by integer factors."""
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid `data_format` argument: {data_format}")
    if interpolation not in _INTERPOLATIONS:
        listed = '"' + '", "'.join(_INTERPOLATIONS) + '"'
        raise ValueError(f"`interpolation` argument should be one of: {listed}. "
                         f'Received: "{interpolation}".')
    first = data_format == "channels_first"
    rows = 2 if first else 1
    size = [x.shape[rows] * height_factor, x.shape[rows + 1] * width_factor]
    if first:
        x = permute_dimensions(x, [0, 2, 3, 1])
    x = tf.image.resize(x, size, method=interpolation)
    return permute_dimensions(x, [0, 3, 1, 2]) if first else x


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """A 5-D batch of volumes scaled up by integer factors (nearest neighbour)."""
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid data_format: {data_format}")
    first = 2 if data_format == "channels_first" else 1
    for axis, factor in zip(range(first, first + 3), (depth_factor, height_factor,
                                                       width_factor)):
        x = repeat_elements(x, factor, axis=axis)
    return x


def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``: a scalar
    condition picks one (either may be a function, called only when picked); a tensor
    condition picks element by element, broadcast over the trailing dimensions."""
    if condition.dtype != tf.bool:
        condition = tf.cast(condition, "bool")
    cond_ndim = ndim(condition)
    if not cond_ndim:
        then_fn = then_expression if callable(then_expression) else lambda: then_expression
        else_fn = else_expression if callable(else_expression) else lambda: else_expression
        return tf.cond(condition, then_fn, else_fn)
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    expr_ndim = ndim(then_expression)
    if cond_ndim > expr_ndim:
        raise ValueError("Rank of `condition` should be less than or equal to rank of "
                         "`then_expression` and `else_expression`. ndim(condition)="
                         f"{cond_ndim}, ndim(then_expression)={expr_ndim}")
    if cond_ndim > 1:                       # align the condition's axes with the leading ones
        condition = tf.reshape(condition, condition.shape.as_list()
                               + [1] * (expr_ndim - cond_ndim))
    return tf.where(condition, then_expression, else_expression)


# ---------------------------------------------------------------------------------------------
# Linear algebra
# ---------------------------------------------------------------------------------------------

def dot(x, y):
    """Keras' dot: ``matmul`` for matrices; for higher ranks, ``x``'s last axis against
    ``y``'s second-to-last (as ``np.dot``)."""
    if ndim(x) > 2 or ndim(y) > 2:
        x_shape, y_shape = x.shape.as_list(), y.shape.as_list()
        perm = list(range(len(y_shape)))
        perm = [perm.pop(-2)] + perm
        xt = tf.reshape(x, [-1, x_shape[-1]])
        yt = tf.reshape(tf.transpose(y, perm=perm), [y_shape[-2], -1])
        return tf.reshape(tf.matmul(xt, yt), x_shape[:-1] + y_shape[:-2] + y_shape[-1:])
    if is_sparse(x):
        return tf.sparse.sparse_dense_matmul(x, y)
    return tf.matmul(x, y)


def batch_dot(x, y, axes=None):
    """The dot product of each pair of samples of ``x`` and ``y`` (both batched on axis 0),
    over ``axes`` (an int or a pair; by default ``x``'s last and ``y``'s second-to-last, or
    last when ``y`` is 2-D)."""
    x_shape, y_shape = x.shape, y.shape
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError("Cannot do batch_dot on inputs with rank < 2. Received inputs with "
                         f"shapes {x_shape} and {y_shape}.")
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError("Cannot do batch_dot on inputs with different batch sizes. Received "
                         f"inputs with shapes {x_shape} and {y_shape}.")
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if builtins.any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError("Multiple target dimensions are not supported. Expected: None, int, "
                         f"(int, int), Provided: {axes}")
    a0, a1 = axes[0] + x_ndim if axes[0] < 0 else axes[0], \
        axes[1] + y_ndim if axes[1] < 0 else axes[1]
    if 0 in (a0, a1):
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not batched,"
                         " add a dummy batch dimension to your inputs using "
                         "K.expand_dims(x, 0)")
    if x_shape[a0] != y_shape[a1]:
        raise ValueError(f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} "
                         f"with axes={[a0, a1]}. x.shape[{a0}] != y.shape[{a1}] "
                         f"({x_shape[a0]} != {y_shape[a1]}).")
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x, a0, x_ndim = tf.expand_dims(x, 1), a0 + 1, 3
    if y_ndim == 2:
        y, y_ndim = tf.expand_dims(y, 2), 3
    if a0 != x_ndim - 1:                    # x's reduced axis last
        x = tf.transpose(x, [i for i in range(x_ndim) if i != a0] + [a0])
    if a1 != 1:                             # y's reduced axis second
        y = tf.transpose(y, [0, a1] + [i for i in range(1, y_ndim) if i != a1])
    x_mid, y_trail = x.shape.as_list()[1:-1], y.shape.as_list()[2:]
    if x_ndim > 3:
        x = tf.reshape(x, [x.shape[0], -1, x.shape[-1]])
    if y_ndim > 3:
        y = tf.reshape(y, [y.shape[0], y.shape[1], -1])
    result = tf.matmul(x, y)
    if x_ndim > 3 or y_ndim > 3:
        out = result.shape.as_list()
        out = out[:1] + (x_mid if x_ndim > 3 else out[1:2]) + \
            (y_trail if y_ndim > 3 else out[-1:])
        result = tf.reshape(result, out)
    if orig_x_ndim == 2:
        result = tf.squeeze(result, 1)
    elif orig_y_ndim == 2:
        result = tf.squeeze(result, -1)
    return result


# ---------------------------------------------------------------------------------------------
# Activations and normalisation
# ---------------------------------------------------------------------------------------------

def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """The rectified linear unit, with Keras' options: ``alpha`` the slope below
    ``threshold``, ``max_value`` the saturation."""
    dtype_ = getattr(x, "dtype", floatx())
    if alpha != 0.0:
        if max_value is None and threshold == 0:
            return tf.nn.leaky_relu(x, alpha=alpha)
        negative_part = tf.nn.relu(-x + threshold) if threshold != 0 else tf.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * tf.cast(tf.greater(x, threshold), dtype=dtype_)
    elif max_value == 6:
        x, clip_max = tf.nn.relu6(x), False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        x = tf.clip_by_value(x, tf.convert_to_tensor(0, dtype=x.dtype),
                             tf.convert_to_tensor(max_value, dtype=x.dtype))
    if alpha != 0.0:
        x -= tf.convert_to_tensor(alpha, dtype=x.dtype) * negative_part
    return x


def elu(x, alpha=1.0):
    res = tf.nn.elu(x)
    return res if alpha == 1 else tf.where(x > 0, res, alpha * res)


def softmax(x, axis=-1):
    """Softmax over ``axis`` (an int or a tuple of axes); not for 1-D tensors."""
    if x.shape.rank <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    numerator = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
    return numerator / tf.reduce_sum(numerator, axis=axis, keepdims=True)


def dropout(x, level, noise_shape=None, seed=None):
    if seed is None:
        seed = np.random.randint(10e6)
    return tf.nn.dropout(x, rate=level, noise_shape=noise_shape, seed=seed)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    return tf.nn.batch_normalization(x, mean, var, beta, gamma, epsilon)


def bias_add(x, bias, data_format=None):
    data_format = _data_format(data_format)
    bias_shape = tuple(bias.shape)
    if len(bias_shape) != 1 and len(bias_shape) != ndim(x) - 1:
        raise ValueError(f"Unexpected bias dimensions {len(bias_shape)}. "
                         f"Expected it to be 1 or {ndim(x) - 1} dimensions")
    if len(bias_shape) == 1:
        return tf.nn.bias_add(x, bias, data_format="NCHW" if data_format == "channels_first"
                              else "NHWC")
    if ndim(x) in (3, 4, 5):
        if data_format == "channels_first":
            return x + reshape(bias, (1, bias_shape[-1]) + bias_shape[:-1])
        return x + reshape(bias, (1,) + bias_shape)
    return tf.nn.bias_add(x, bias)


# ---------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------

def _clipped(output):
    eps = tf.convert_to_tensor(epsilon(), output.dtype)
    return tf.clip_by_value(output, eps, 1.0 - eps)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy of probabilities (or logits)."""
    target, output = tf.convert_to_tensor(target), tf.convert_to_tensor(output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clipped(output)
    bce = target * tf.math.log(output + epsilon())
    bce += (1 - target) * tf.math.log(1 - output + epsilon())
    return -bce


def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False):
    """Binary cross-entropy weighted by ``(1 - p_t) ** gamma`` (focal loss)."""
    target, output = tf.convert_to_tensor(target), tf.convert_to_tensor(output)
    sigmoidal = tf.sigmoid(output) if from_logits else output
    p_t = target * sigmoidal + (1 - target) * (1 - sigmoidal)
    focal = tf.pow(1.0 - p_t, gamma) * binary_crossentropy(target, output, from_logits)
    if apply_class_balancing:
        focal = (target * alpha + (1 - target) * (1 - alpha)) * focal
    return focal


def _categorical_inputs(target, output):
    target, output = tf.convert_to_tensor(target), tf.convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    return target, output


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) targets and probabilities (or logits) along
    ``axis``; probabilities are renormalised to sum to 1 first."""
    target, output = _categorical_inputs(target, output)
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output,
                                                       axis=axis)
    output = _clipped(output / tf.reduce_sum(output, axis, True))
    return -tf.reduce_sum(target * tf.math.log(output), axis)


def categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False,
                                   axis=-1):
    target, output = _categorical_inputs(target, output)
    if from_logits:
        output = tf.nn.softmax(output, axis=axis)
    output = _clipped(output / tf.reduce_sum(output, axis=axis, keepdims=True))
    cce = -target * tf.math.log(output)
    focal = tf.multiply(tf.multiply(tf.pow(1.0 - output, gamma), alpha), cce)
    return tf.reduce_sum(focal, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1,
                                    ignore_class=None):
    """Cross-entropy between integer class targets and probabilities (or logits) along
    ``axis``; targets equal to ``ignore_class`` contribute 0."""
    target = tf.cast(tf.convert_to_tensor(target), "int64")
    output = tf.convert_to_tensor(output)
    if not from_logits:
        output = tf.math.log(_clipped(output))
    rank = output.shape.rank
    axis %= rank
    if axis != rank - 1:
        output = tf.transpose(output, perm=[*range(axis), *range(axis + 1, rank), axis])
    output_shape = output.shape.as_list()
    update_shape = target.shape.rank != rank - 1
    if update_shape:
        target = flatten(target)
        output = tf.reshape(output, [-1, output_shape[-1]])
    if ignore_class is not None:
        valid = tf.not_equal(target, tf.cast(ignore_class, target.dtype))
        res = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.boolean_mask(target, valid), logits=tf.boolean_mask(output, valid))
        res_shape = tf.constant(output_shape[:-1], tf.int64)
        return tf.scatter_nd(tf.where(tf.reshape(valid, res_shape)), res, res_shape)
    res = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    if update_shape and rank >= 3:
        res = tf.reshape(res, output_shape[:-1])
    return res


def ctc_label_dense_to_sparse(labels, label_lengths):
    """Dense ``[batch, max_length]`` labels as a SparseTensor of each row's first
    ``label_lengths[b]`` entries."""
    labels = tf.convert_to_tensor(labels)
    dense = labels.numpy()
    lengths = np.asarray(tf.convert_to_tensor(label_lengths).numpy()).reshape(-1)
    keep = np.arange(dense.shape[1])[None, :] < lengths[:, None]
    indices = np.argwhere(keep).astype(np.int64)
    return tf.SparseTensor(indices, tf.gather_nd(labels, indices),
                           np.array(dense.shape, np.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """The CTC loss of each batch entry, ``[batch, 1]``: ``y_pred`` softmax outputs
    ``[batch, frames, classes]`` (blank last), ``y_true`` dense labels, ``input_length`` and
    ``label_length`` ``[batch, 1]``."""
    label_length = tf.cast(tf.squeeze(label_length, axis=-1), tf.int32)
    input_length = tf.cast(tf.squeeze(input_length, axis=-1), tf.int32)
    sparse_labels = tf.sparse.map_values(lambda v: tf.cast(v, tf.int32),
                                         ctc_label_dense_to_sparse(y_true, label_length))
    y_pred = tf.math.log(tf.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    return tf.expand_dims(tf.nn.ctc_loss(sparse_labels, y_pred, None, input_length,
                                         blank_index=-1), 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Decode softmax outputs ``[batch, frames, classes]`` (blank last): greedily, or by beam
    search. Returns ``(decoded, log_prob)``: a list of dense ``[batch, frames]`` label tensors
    (padded with -1) and their scores."""
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    y_pred = tf.math.log(tf.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    input_length = tf.cast(input_length, tf.int32)
    if greedy:
        decoded, log_prob = tf.nn.ctc_greedy_decoder(y_pred, input_length)
    else:
        decoded, log_prob = tf.nn.ctc_beam_search_decoder(y_pred, input_length,
                                                          beam_width=beam_width,
                                                          top_paths=top_paths)
    dense = [tf.sparse.to_dense(tf.SparseTensor(st.indices, st.values, [batch, steps]),
                                default_value=-1) for st in decoded]
    return dense, log_prob


# ---------------------------------------------------------------------------------------------
# Convolutions and pooling (layouts from image_data_format())
# ---------------------------------------------------------------------------------------------

def _padding(padding):
    if padding not in ("same", "valid"):
        raise ValueError(f"Invalid padding: {padding}")
    return padding.upper()


def _layout(data_format, n):
    """TensorFlow's layout string for ``n`` spatial dimensions."""
    spatial = "DHW"[3 - n:] if n > 1 else "W"
    return f"NC{spatial}" if _data_format(data_format) == "channels_first" else f"N{spatial}C"


def _strides(strides, layout):
    strides = tuple(strides)
    return (1, 1) + strides if layout[1] == "C" else (1,) + strides + (1,)


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """A 1-D convolution; ``padding`` may also be ``"causal"`` (left padding only)."""
    layout = _layout(data_format, 1)
    if padding == "causal":
        x = temporal_padding(x, (dilation_rate * (kernel.shape[0] - 1), 0))
        padding = "valid"
    return tf.nn.convolution(x, kernel, strides=strides, padding=_padding(padding),
                             data_format=layout, dilations=dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1)):
    return tf.nn.convolution(x, kernel, strides=strides, padding=_padding(padding),
                             data_format=_layout(data_format, 2), dilations=dilation_rate)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1)):
    return tf.nn.convolution(x, kernel, strides=strides, padding=_padding(padding),
                             data_format=_layout(data_format, 3), dilations=dilation_rate)


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    """The transpose of ``conv2d``; ``output_shape`` in ``data_format``'s layout (a ``None``
    batch size takes ``x``'s)."""
    layout = _layout(data_format, 2)
    output_shape = list(output_shape)
    if output_shape[0] is None:
        output_shape[0] = x.shape[0]
    padding = _padding(padding)
    if tuple(dilation_rate) == (1, 1):
        return tf.nn.conv2d_transpose(x, kernel, output_shape, _strides(strides, layout),
                                      padding=padding, data_format=layout)
    if dilation_rate[0] != dilation_rate[1]:
        raise ValueError("Expected the 2 dimensions of the `dilation_rate` argument to be equal "
                         f"to each other. Received: dilation_rate={dilation_rate}")
    if layout == "NCHW":                   # the atrous form is channels-last only
        x = tf.transpose(x, (0, 2, 3, 1))
        output_shape = [output_shape[i] for i in (0, 2, 3, 1)]
    x = tf.nn.atrous_conv2d_transpose(x, kernel, output_shape, rate=dilation_rate[0],
                                      padding=padding)
    return tf.transpose(x, (0, 3, 1, 2)) if layout == "NCHW" else x


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    layout = _layout(data_format, 2)
    return tf.nn.depthwise_conv2d(x, depthwise_kernel, strides=_strides(strides, layout),
                                  padding=_padding(padding), dilations=dilation_rate,
                                  data_format=layout)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    layout = _layout(data_format, 2)
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    return tf.nn.separable_conv2d(x, depthwise_kernel, pointwise_kernel,
                                  strides=_strides(strides, layout), padding=_padding(padding),
                                  dilations=dilation_rate, data_format=layout)


def _pool(x, pool_size, strides, padding, data_format, pool_mode, n):
    layout = _layout(data_format, n)
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"Invalid pooling mode: {pool_mode}")
    pool = tf.nn.max_pool if pool_mode == "max" else tf.nn.avg_pool
    return pool(x, _strides(pool_size, layout), _strides(strides, layout),
                padding=_padding(padding), data_format=layout)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """Max (``pool_mode="max"``) or average (``"avg"``) pooling over 2 spatial axes."""
    _data_format(data_format)
    if len(pool_size) != 2:
        raise ValueError("`pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, 2)


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None,
           pool_mode="max"):
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, 3)


# ---------------------------------------------------------------------------------------------
# Random numbers (a seed drawn from NumPy's global generator when none is given)
# ---------------------------------------------------------------------------------------------

def _seed(seed, high=10e6):
    return np.random.randint(high) if seed is None else seed


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return tf.random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(),
                            seed=_seed(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return tf.random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(),
                             seed=_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return tf.random.truncated_normal(shape, mean, stddev, dtype=dtype or floatx(),
                                      seed=_seed(seed))


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability ``p``, else 0."""
    dtype = dtype or floatx()
    return tf.where(tf.random.uniform(shape, dtype=dtype, seed=_seed(seed)) <= p,
                    tf.ones(shape, dtype=dtype), tf.zeros(shape, dtype=dtype))


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    dtype = dtype or floatx()
    value = tf.random.normal(shape, mean, scale, dtype=tf.as_dtype(dtype),
                             seed=_seed(seed, 10e8))
    return variable(value, dtype=dtype, name=name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    dtype = dtype or floatx()
    value = tf.random.uniform(shape, low, high, dtype=tf.as_dtype(dtype),
                              seed=_seed(seed, 10e8))
    return variable(value, dtype=dtype, name=name)


# ---------------------------------------------------------------------------------------------
# Higher-order functions and the RNN loop
# ---------------------------------------------------------------------------------------------

def map_fn(fn, elems, name=None, dtype=None):
    return tf.map_fn(fn, elems, dtype=dtype)


def foldl(fn, elems, initializer=None, name=None):
    return tf.foldl(fn, elems, initializer=initializer)


def foldr(fn, elems, initializer=None, name=None):
    return tf.foldr(fn, elems, initializer=initializer)


def _swap_batch_time(t):
    return tf.transpose(t, [1, 0] + list(range(2, t.shape.rank)))


def _as_mask_of(mask_t, value):
    """A ``[batch, ...]`` boolean mask shaped to broadcast against ``value``."""
    extra = value.shape.rank - mask_t.shape.rank
    return tf.reshape(mask_t, mask_t.shape.as_list() + [1] * extra) if extra > 0 else mask_t


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Run ``step_function(input_t, states + constants) -> (output_t, new_states)`` over the
    time axis of ``inputs`` (``[batch, time, ...]``, or ``[time, batch, ...]`` with
    ``time_major``; a nested structure of such tensors is sliced together).

    Returns ``(last_output, outputs, new_states)``. Where ``mask`` (``[batch, time]``) is
    False, the step's output repeats the previous one (zeros with ``zero_output_for_mask``)
    and the states are carried over unchanged; an ``input_length`` tensor masks the steps at
    and after each sample's length (``unroll=False`` only, as in Keras). Eager, so
    ``unroll`` changes nothing else.
    """
    if not time_major:
        inputs = tf.nest.map_structure(_swap_batch_time, inputs)
    flat_inputs = tf.nest.flatten(inputs)
    for inp in flat_inputs:
        inp.shape.with_rank_at_least(3)
    time_steps = flat_inputs[0].shape[0]
    if unroll and not time_steps:
        raise ValueError("Unrolling requires a fixed number of timesteps.")
    constants = tuple(constants or ())

    masks = None
    if mask is not None:
        if mask.dtype != tf.bool:
            mask = tf.cast(mask, tf.bool)
        if mask.shape.rank == 2:
            mask = expand_dims(mask)
        if not time_major:
            mask = _swap_batch_time(mask)
        masks = tf.unstack(mask)
        if go_backwards:
            masks.reverse()
    elif isinstance(input_length, tf.Tensor) and not unroll:
        if go_backwards:
            rev_length = tf.reduce_max(input_length, axis=0) - 1 - input_length
            masks = [tf.less(rev_length, t) for t in range(time_steps)]
        else:
            masks = [tf.greater(input_length, t) for t in range(time_steps)]

    steps = [tf.unstack(inp) for inp in flat_inputs]
    if go_backwards:
        for s in steps:
            s.reverse()
    iterations = time_steps
    if input_length is not None and not unroll:    # Keras' while loop stops at the longest
        iterations = builtins.min(time_steps, int(tf.reduce_max(input_length)))
    states = new_states = tuple(initial_states)
    outputs, prev_output = [], None
    for t in range(iterations):
        inp = tf.nest.pack_sequence_as(inputs, [s[t] for s in steps])
        output, new_states = step_function(inp, states + constants)
        if masks is not None:
            m = masks[t]
            if prev_output is None or zero_output_for_mask:
                fallback = tf.nest.map_structure(tf.zeros_like, output)
            else:
                fallback = prev_output
            output = tf.nest.map_structure(
                lambda o, f: tf.where(_as_mask_of(m, o), o, f), output, fallback)
            flat = [tf.where(_as_mask_of(m, new), new, old)
                    for new, old in zip(tf.nest.flatten(new_states), tf.nest.flatten(states))]
            new_states = tf.nest.pack_sequence_as(new_states, flat)
        states = tuple(new_states) if isinstance(new_states, (list, tuple)) else (new_states,)
        prev_output = output
        if return_all_outputs or not outputs:
            outputs.append(output)
        else:
            outputs[0] = output
    if len(outputs) < (time_steps if return_all_outputs else 1):
        # steps never run (past the longest input_length) hold zeros, as Keras' unwritten
        # TensorArray slots do; the first step's output gives their structure
        like = outputs[0] if outputs else step_function(
            tf.nest.pack_sequence_as(inputs, [s[0] for s in steps]), states + constants)[0]
        zeros_ = tf.nest.map_structure(tf.zeros_like, like)
        outputs += [zeros_] * ((time_steps if return_all_outputs else 1) - len(outputs))
    stacked = tf.nest.map_structure(lambda *o: tf.stack(o), *outputs)
    last_output = outputs[-1]
    if not time_major:
        stacked = tf.nest.map_structure(_swap_batch_time, stacked)
    return last_output, stacked, new_states


from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
