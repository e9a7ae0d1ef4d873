"""tensorshell: TensorFlow's low-level "use it like NumPy" API, eager, on NumPy and CuPy.

>>> import tensorshell as ts
>>> t = ts.constant([[1., 2., 3.], [4., 5., 6.]])
>>> t + 10, ts.square(t), t @ ts.transpose(t)
"""

# ruff: noqa: F401 - this module is the public API: everything imported here is re-exported
from .engine import ops as _ops  # fills the op registry
from .engine.devices import device
from .engine.dtypes import (DType, as_dtype, bool, complex64, complex128, double, float16,  # noqa: A004
                            float32, float64, half, int8, int16, int32, int64, string, uint8,
                            uint16, uint32, uint64)
from .engine.autodiff import GradientTape, custom_gradient
from .engine.ops.registry import NAMESPACES as _NAMESPACES
from .engine.tensor import Tensor, TensorShape, constant, convert_to_tensor, is_tensor
from .engine.variable import IndexedSlices, Variable, name_scope
from .function import TensorSpec, executing_eagerly, function
from .module import Module

globals().update(_NAMESPACES[""])

from . import bitwise, config, errors, experimental, linalg, math, nn, optimizers, random  # noqa: E402,E501
from . import audio, data, debugging, image, io, queue, ragged, sets, signal, sparse, strings  # noqa: E402,E501
from . import autodiff, autograph, compat, dtypes, lookup, nest, summary, train  # noqa: E402
from . import types, version  # noqa: E402
from .ragged import RaggedTensor, RaggedTensorSpec, type_spec_from_value  # noqa: E402
from .sparse import SparseTensor, SparseTensorSpec, edit_distance  # noqa: E402
from .strings import as_string  # noqa: E402 - also top level, as in TF
from .debugging import (Assert, assert_equal, assert_greater, assert_less,  # noqa: E402
                        assert_rank)  # also top level, as in TF

newaxis = None

from .control import (TensorArray, case, cond, control_dependencies, foldl, foldr,  # noqa: E402,E501
                      group, init_scope, map_fn, no_op, scan, switch_case, vectorized_map,
                      while_loop)
from .control import tuple_ as tuple  # noqa: E402,A001 - tf.tuple; shadows tuple here only
from .engine.autodiff import (AggregationMethod, UnconnectedGradients,  # noqa: E402
                               grad_pass_through, recompute_grad)
from .framework import (DeviceSpec, VariableAggregation, VariableSynchronization,  # noqa: E402
                        register_tensor_conversion_function,
                        required_space_to_batch_paddings,
                        broadcast_static_shape, get_current_name_scope, get_logger,
                        get_static_value, gradients, guarantee_const, hessians,
                        inside_function, is_symbolic_tensor, parallel_stack, timestamp)
from .function import numpy_function, py_function  # noqa: E402
from .init_ops import (constant_initializer, ones_initializer,  # noqa: E402
                       random_normal_initializer, random_uniform_initializer,
                       zeros_initializer)
from .control import print_ as print  # noqa: E402,A001 - tf.print; shadows print here only


_KERAS_ALIASES = {"losses": ".keras.losses", "metrics": ".keras.metrics",
                  "initializers": ".keras.initializers",   # tf.losses is tf.keras.losses ...
                  "test": ".test"}                         # (unittest loads on first use)


def __getattr__(name):
    # ts.keras is imported on first use: the REPL's start pays nothing for it
    if name == "keras" or name in _KERAS_ALIASES:
        import importlib
        return importlib.import_module(_KERAS_ALIASES.get(name, ".keras"), __name__)
    import sys
    raise AttributeError(f"module 'tensorshell' has no attribute {name!r}", name=name,
                         obj=sys.modules[__name__])


def __dir__():
    return sorted(set(globals()) | {"keras"} | set(_KERAS_ALIASES))


def load_ipython_extension(ip):
    """``%load_ext tensorshell``: make this IPython shell a tensorshell."""
    from .shell import load_ipython_extension as load
    load(ip)

__version__ = version.VERSION
