"""Reverse-mode autodiff: GradientTape, custom_gradient, stop_gradient.

Recording costs nothing when no tape is active, and nothing for tensors no tape watches:
a watched tensor (and every result computed from one while a tape records) has the class
``TrackedTensor``, a layout-identical subclass of Tensor, so the ops' fast paths — which
check ``type(x) is Tensor`` — send it down the slow path, where ``record`` runs the op and
adds a node to every recording tape that tracks one of its inputs. Gradients are vector-
Jacobian products defined beside each op (``grad=`` in the op tables) and written with
tensorshell's own ops, so a tape that records while another computes its gradient gets
second derivatives. A gradient function may return a callable for an input instead of a
tensor: it is called only when a tape tracks that input (costly ones - matmul,
convolutions - skip the gradient of data that nobody asked for).
"""

from __future__ import annotations

import contextlib
import enum

from ..nest import flatten, pack_sequence_as
from .devices import current, on as on_device
from .ops import registry
from .ops.registry import OPS, RECORDING
from .tensor import Tensor

_new = object.__new__


class TrackedTensor(Tensor):
    """A tensor some GradientTape is watching. Same layout as Tensor: a tape marks a tensor
    by assigning this class, and restores ``Tensor`` when it stops recording."""

    __slots__ = ()


# plain class <-> tracked class (same layout, so a tape can switch an object between them)
TRACKED_CLASS: dict[type, type] = {Tensor: TrackedTensor}
PLAIN_CLASS: dict[type, type] = {TrackedTensor: Tensor}


def register_tracked(plain: type, tracked: type) -> None:
    TRACKED_CLASS[plain] = tracked
    PLAIN_CLASS[tracked] = plain


def _differentiable_dtype(d) -> bool:
    return d.is_floating or d.is_complex


class Node:
    __slots__ = ("op", "args", "kwargs", "ans", "inputs", "device", "vjp")

    def __init__(self, op, args, kwargs, ans, inputs, device, vjp=None):
        self.op = op              # OpDef (or None for custom_gradient and variable reads)
        self.args = args          # the call's positional arguments
        self.kwargs = kwargs
        self.ans = ans            # the output tensor
        self.inputs = inputs      # [(path, source)]: where each tracked input sits in args
        self.device = device      # gradients run on the device of the forward op
        self.vjp = vjp            # explicit vjp(g) -> grads per input (custom_gradient)


def _paths(args):
    """(path, value) for every tensor-like argument, lists and tuples flattened one level
    (concat, stack, einsum take sequences)."""
    for i, a in enumerate(args):
        if isinstance(a, (list, tuple)):
            for j, b in enumerate(a):
                yield (i, j), b
        else:
            yield (i,), a


def _tracking_tapes(value):
    if isinstance(value, TrackedTensor):
        return [t for t in RECORDING if id(value) in t._tracked]
    if getattr(value, "_is_variable", False):
        return [t for t in RECORDING if t._watches_variable(value)]
    return []


def _positional(op, fn, args, kwargs):
    """The call with every argument that can be positional made positional, so gradient
    functions see tensors passed by keyword (``labels=..., logits=...``) in their place."""
    sig = getattr(op, "_signature", None)
    if sig is None:
        import inspect
        sig = op._signature = inspect.signature(fn)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError:
        return args, kwargs  # the call itself will raise the right error
    return bound.args, bound.kwargs


def _watched_inputs(args, kwargs=None):
    """The tracked tensors and watched Variables among a call's arguments, with where they
    sit, and the tapes that track any of them."""
    inputs, interested = [], {}
    items = list(_paths(args)) + list((kwargs or {}).items())
    for path, value in items:
        tapes = _tracking_tapes(value)
        if tapes:
            inputs.append((path, value))
            for t in tapes:
                interested[id(t)] = t
    return inputs, interested


def _unrecorded(fn, args, kwargs):
    """``fn(*args, **kwargs)`` with every tape paused: an op's own inner ops are not nodes."""
    saved = RECORDING[:]
    RECORDING.clear()
    try:
        return fn(*args, **kwargs)
    finally:
        RECORDING[:] = saved


def _add_nodes(ans, inputs, interested, op, args, kwargs, vjp=None):
    """One node per differentiable output, in every interested tape."""
    dev = current()
    multiple = isinstance(ans, (list, tuple))
    for k, out in enumerate(ans if multiple else [ans]):
        if isinstance(out, Tensor) and _differentiable_dtype(out._dtype):
            node = Node(op, args, kwargs, ans, inputs, dev, vjp)
            _track(out, interested.values(), node, k if multiple else None)


def _has_ragged(args) -> bool:
    """Whether a RaggedTensor is among an op's arguments (or in a list of them): checked
    for every recorded op, so tensors - nearly every argument - cost one type test."""
    for a in args:
        cls = a.__class__
        if cls is Tensor or cls is TrackedTensor:
            continue
        if getattr(a, "_is_ragged", False):
            return True
        if (cls is list or cls is tuple) and any(getattr(b, "_is_ragged", False) for b in a):
            return True
    return False


def record(op, fn, args, kwargs):
    """Run ``fn(*args, **kwargs)`` for ``op`` and add a node to every recording tape that
    tracks one of its inputs."""
    if _has_ragged(args):  # the ops on its flat values record themselves
        return registry.ragged_dispatch(op, args, kwargs)
    if kwargs and any(isinstance(v, Tensor) or getattr(v, "_is_variable", False)
                      for v in kwargs.values()):
        args, kwargs = _positional(op, fn, args, kwargs)
    inputs, interested = _watched_inputs(args, kwargs)
    ans = _unrecorded(fn, args, kwargs)
    if not interested or op.grad is None or op.differentiable is False:
        return ans
    if any(ans is value for _, value in inputs):
        ans = _fresh(ans)  # identity-like ops return their input: the output needs its own id
    if op.kind == "binary":
        # the other operand may be a Python number, list or NumPy array: the gradient sees
        # it as the tensor the op used (the same dtype rule as the forward call)
        from .ops.registry import unify
        args = tuple(unify(op.name, list(args[:2]), ["x", "y"])) + tuple(args[2:])
    _add_nodes(ans, inputs, interested, op, args, kwargs)
    return ans


def _fresh(t: Tensor) -> Tensor:
    c = _new(Tensor)
    c._data, c._dtype, c._device = t._data, t._dtype, t._device
    return c


def _track(out, tapes, node, index):
    tracked = TRACKED_CLASS.get(type(out))
    if tracked is not None:
        out.__class__ = tracked
    for t in tapes:
        t._tracked[id(out)] = out
        t._nodes.append((node, out, index))


class GradientTape:
    """Record operations for automatic differentiation.

    >>> x = ts.Variable(3.0)
    >>> with ts.GradientTape() as tape:
    ...     y = x * x
    >>> tape.gradient(y, x)   # 6.0
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._tracked: dict[int, Tensor] = {}
        self._nodes: list = []
        self._variables: dict[int, object] = {}
        self._used = False
        self._recording = False

    # -- recording ----------------------------------------------------------------------------
    def __enter__(self):
        self._start()
        return self

    def __exit__(self, *exc):
        self._stop()
        return False

    def _start(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to "
                             "re-enter an already-active tape.")
        self._recording = True
        RECORDING.append(self)

    def _stop(self):
        if self in RECORDING:
            RECORDING.remove(self)
        self._recording = False
        _untrack_if_unused(self._tracked.values())

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stop recording: ops inside are not differentiated by this tape."""
        if not self._recording:
            raise ValueError("Tape is not recording.")
        self._stop_keep_tracking()
        try:
            yield
        finally:
            self._recording = True
            RECORDING.append(self)

    def _stop_keep_tracking(self):
        RECORDING.remove(self)
        self._recording = False

    def reset(self):
        """Forget everything recorded so far (the tape keeps recording if it was)."""
        _untrack_if_unused(self._tracked.values(), exclude=self)
        self._tracked.clear()
        self._nodes.clear()
        self._variables.clear()

    def watch(self, tensor):
        """Track ``tensor`` (or each tensor / Variable in a structure). Integer tensors are
        not differentiable and are ignored, as in TensorFlow."""
        for t in flatten(tensor):
            if getattr(t, "_is_variable", False):
                if _differentiable_dtype(t.dtype):
                    self._variables[id(t)] = t
                continue
            if not isinstance(t, Tensor):
                raise ValueError(f"Passed in object of type {type(t).__name__}, not tf.Tensor "
                                 "or tf.Variable")
            if not _differentiable_dtype(t._dtype):
                continue
            tracked = TRACKED_CLASS.get(type(t))
            if tracked is not None:
                t.__class__ = tracked
            self._tracked[id(t)] = t

    def _watches_variable(self, v) -> bool:
        if id(v) in self._variables:
            return True
        if self._watch_accessed and v.trainable and _differentiable_dtype(v.dtype):
            self._variables[id(v)] = v
            return True
        return False

    def watched_variables(self):
        return tuple(self._variables.values())

    # -- gradients ----------------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """d(sum of target) / d(each source), in the structure of ``sources``."""
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        unconnected_gradients = _unconnected(unconnected_gradients)
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"unconnected_gradients must be 'none' or 'zero', got "
                             f"{unconnected_gradients!r}")
        self._used = True
        targets = flatten(target)
        seeds = flatten(output_gradients) if output_gradients is not None else \
            [None] * len(targets)
        if len(seeds) != len(targets):
            raise ValueError("output_gradients must have the structure of target")
        flat_sources = flatten(sources)
        was_recording = self._recording
        if was_recording:
            self._stop_keep_tracking()
        try:
            grads = self._backward(targets, seeds)
        finally:
            if was_recording:
                self._recording = True
                RECORDING.append(self)
        results = []
        from .ops import creation
        for s in flat_sources:
            g = grads.get(id(s))
            if g is None and unconnected_gradients == "zero":
                g = creation.zeros_like(s)
            results.append(g)
        return pack_sequence_as(sources, results)

    def _backward(self, targets, seeds):
        from .ops import creation, elementwise  # noqa: F811 - cached after the first call
        from .variable import IndexedSlices, _add_gradients
        add = elementwise.add

        def accumulate(key, g):                  # plain tensors add directly
            old = grads.get(key)
            if old is None:
                grads[key] = g
            elif type(old) is not IndexedSlices and type(g) is not IndexedSlices:
                grads[key] = add(old, g)
            else:
                grads[key] = _add_gradients(old, g, add)
        grads: dict[int, Tensor] = {}
        for t, seed in zip(targets, seeds):
            if isinstance(t, IndexedSlices):     # its values are what depends on the sources
                if isinstance(seed, IndexedSlices):
                    seed = seed.values
                elif seed is not None:           # a dense cotangent: the rows that meet them
                    from .ops.shape import gather, reshape
                    seed = reshape(gather(seed, reshape(t.indices, [-1])), list(t.values.shape))
                t = t.values
            if not isinstance(t, Tensor) and not getattr(t, "_is_variable", False):
                continue
            if seed is None:
                seed = creation.ones_like(t)
            accumulate(id(t), seed)
        for node, out, index in reversed(self._nodes):
            g = grads.get(id(out))
            if g is None:
                continue
            if type(g) is IndexedSlices:     # ops take their upstream gradient dense
                g = g._dense()
            if index is not None:
                upstream = [None] * len(node.ans)
                upstream[index] = g
                g = upstream
            with on_device(node.device):
                in_grads = _vjp(node, g)
                for (path, source), ig in zip(node.inputs, in_grads):
                    if ig is not None:
                        accumulate(id(source), ig)
        return grads

    def jacobian(self, target, sources, unconnected_gradients="none",
                 parallel_iterations=None, experimental_use_pfor=True):
        """d target[i...] / d source[j...], shaped target.shape + source.shape."""
        from .ops import shape as shape_ops
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        unconnected_gradients = _unconnected(unconnected_gradients)
        self._used = True
        flat_sources = flatten(sources)
        n = int(target._data.size)
        rows = [[] for _ in flat_sources]
        for i in range(n):
            seed = shape_ops.reshape(shape_ops.one_hot(i, n, dtype=target.dtype),
                                     list(target.shape))
            grads = self._backward([target], [seed])
            for k, s in enumerate(flat_sources):
                g = grads.get(id(s))
                if g is not None and not isinstance(g, Tensor):
                    from .variable import dense_gradient
                    g = dense_gradient(g)
                if g is None and unconnected_gradients == "zero":
                    from .ops.creation import zeros_like
                    g = zeros_like(s)
                rows[k].append(g)
        out = []
        for k, s in enumerate(flat_sources):
            if any(g is None for g in rows[k]):
                out.append(None)
                continue
            from .ops.creation import zeros
            stacked = shape_ops.stack(rows[k]) if rows[k] else zeros(
                [0] + list(s.shape), s.dtype)
            out.append(shape_ops.reshape(stacked, list(target.shape) + list(s.shape)))
        return pack_sequence_as(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients="none",
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example jacobians: target [b, ...], source [b, ...] -> [b, t..., s...]."""
        from .ops import creation, shape as shape_ops
        full = self.jacobian(target, source, unconnected_gradients)
        b = target.shape[0]
        if source.shape[0] != b:
            raise ValueError("Need first dimension of target shape and source shape to match")
        t_rest, s_rest = list(target.shape)[1:], list(source.shape)[1:]
        if full is None:      # TensorFlow's batch_jacobian gives zeros here, never None
            return creation.zeros([b] + t_rest + s_rest, target.dtype)
        blocks = [full[(i,) + (slice(None),) * len(t_rest) + (i,)] for i in range(b)]
        return shape_ops.stack(blocks) if blocks else shape_ops.reshape(
            full, [0] + t_rest + s_rest)


class AggregationMethod:
    """How gradient terms are summed (``ts.gradients(..., aggregation_method=)``): every
    method gives the same sums here, added as they arrive."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


class ForwardAccumulator:
    """Forward-mode differentiation, as TensorFlow's ``tf.autodiff.ForwardAccumulator``:
    Jacobian-vector products of what is computed from ``primals`` inside the context, along
    ``tangents`` (same structure, shapes and dtypes).

    >>> x = ts.constant([1., 2.])
    >>> with ts.autodiff.ForwardAccumulator(x, ts.constant([1., 0.])) as acc:
    ...     y = ts.reduce_sum(x ** 3)
    >>> acc.jvp(y)                       # 3.0: dy/dx . [1, 0]

    Each ``jvp`` is a reverse-mode computation run twice (the gradient along a placeholder
    cotangent, then that gradient's own gradient with respect to the placeholder), so it
    costs about two backward passes and gives exactly what forward mode would; nesting with
    GradientTape works both ways (Hessian-vector products forward-over-backward, gradients
    of JVPs backward-over-forward).
    """

    def __init__(self, primals, tangents):
        from .tensor import convert_to_tensor
        self._primals = flatten(primals)
        flat_tangents = flatten(tangents)
        if len(flat_tangents) != len(self._primals):
            raise ValueError("tangents must have the same structure as primals: "
                             f"{len(self._primals)} primals, {len(flat_tangents)} tangents")
        if len({id(p) for p in self._primals}) != len(self._primals):
            raise ValueError("a tensor or variable is listed more than once in primals")
        self._tangents = []
        for p, t in zip(self._primals, flat_tangents):
            if getattr(t, "dtype", p.dtype) != p.dtype:
                raise ValueError(f"a {t.dtype.name} tangent for a {p.dtype.name} primal: "
                                 f"each tangent has its primal's dtype (ts.cast(tangent, "
                                 f"ts.{p.dtype.name}))")
            t = convert_to_tensor(t, dtype=p.dtype)
            if tuple(t.shape) != tuple(p.shape):
                raise ValueError(f"a tangent of shape {list(t.shape)} for a primal of shape "
                                 f"{list(p.shape)}: each tangent has its primal's shape")
            self._tangents.append(t)
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)

    def __enter__(self):
        self._tape.__enter__()
        self._tape.watch(self._primals)
        return self

    def __exit__(self, *exc):
        return self._tape.__exit__(*exc)

    def jvp(self, primals, unconnected_gradients="none"):
        """The JVP of each tensor in ``primals`` (a structure), None where it does not
        depend on the accumulator's primals (zeros with ``unconnected_gradients="zero"``)."""
        mode = _unconnected(unconnected_gradients)
        if mode not in ("none", "zero"):
            raise ValueError(f"unconnected_gradients must be 'none' or 'zero', got "
                             f"{unconnected_gradients!r}")
        return pack_sequence_as(primals, [self._jvp(t, mode) for t in flatten(primals)])

    def _jvp(self, target, mode):
        from .ops import creation
        from .variable import IndexedSlices
        if isinstance(target, IndexedSlices):         # the JVP of its rows, at its indices
            rows = self._jvp(target.values, mode)
            return None if rows is None else IndexedSlices(rows, target.indices,
                                                           target.dense_shape)
        for p, t in zip(self._primals, self._tangents):
            if target is p:
                return t
        if not _differentiable_dtype(target.dtype):
            return creation.zeros_like(target) if mode == "zero" else None
        with GradientTape(watch_accessed_variables=False) as outer:
            u = creation.zeros_like(target)              # a placeholder cotangent
            outer.watch(u)
            grads = self._tape.gradient(target, self._primals, output_gradients=u)
            from .variable import dense_gradient
            grads = [None if g is None else dense_gradient(g) for g in grads]
        pairs = [(g, t) for g, t in zip(grads, self._tangents) if g is not None]
        result = outer.gradient([g for g, _ in pairs], u,
                                output_gradients=[t for _, t in pairs]) if pairs else None
        if result is None and (pairs or mode == "zero"):
            result = creation.zeros_like(target)     # linear in u, but with a zero Jacobian
        return result


def _vjp(node, g):
    """Gradients for each tracked input of ``node`` given the upstream gradient ``g``."""
    if node.vjp is not None:
        grads = node.vjp(g)
    else:
        grads = node.op.grad(g, node.ans, *node.args, **node.kwargs)
    if not isinstance(grads, (list, tuple)):
        grads = (grads,)
    out = []
    for path, _ in node.inputs:
        if isinstance(path, str):
            out.append(None)
            continue
        value = grads[path[0]] if path[0] < len(grads) else None
        if callable(value):  # a deferred gradient: computed only for an input a tape needs
            value = value()
        if len(path) == 2 and value is not None:
            value = value[path[1]]
        out.append(value)
    return out


def _untrack_if_unused(tensors, exclude=None):
    """Give tensors their plain class back once no recording tape tracks them, so the ops'
    fast paths apply to them again."""
    for t in list(tensors):
        plain = PLAIN_CLASS.get(type(t))
        if plain is not None and not any(
                id(t) in tape._tracked for tape in RECORDING if tape is not exclude):
            t.__class__ = plain


class UnconnectedGradients(enum.Enum):
    """What ``tape.gradient`` gives a source the target does not depend on."""
    NONE = "none"
    ZERO = "zero"


def _unconnected(value) -> str:
    return value.value if isinstance(value, UnconnectedGradients) else value


# ---------------------------------------------------------------------------------------------
# Variables read inside a tape, stop_gradient, custom_gradient
# ---------------------------------------------------------------------------------------------

def read_variable(v, value: Tensor) -> Tensor:
    """``v.value()`` while tapes record: a tracked tensor whose gradient flows to ``v``."""
    tapes = [t for t in RECORDING if t._watches_variable(v)]
    if not tapes:
        return value
    node = Node(OPS["identity"], (v,), {}, value, [((0,), v)], current())
    _track(value, tapes, node, None)
    return value


def custom_gradient(f=None):
    """Define a function's gradient yourself: ``f`` returns ``(y, grad_fn)`` and
    ``grad_fn(upstream)`` returns the gradient for each tensor argument.

    >>> @ts.custom_gradient
    ... def softplus(x):
    ...     e = ts.exp(x)
    ...     def grad(upstream):
    ...         return upstream * (1 - 1 / (1 + e))
    ...     return ts.math.log(1 + e), grad
    """
    if f is None:
        return custom_gradient

    def wrapper(*args, **kwargs):
        inputs, interested = _watched_inputs(args)
        y, grad_fn = _unrecorded(f, args, kwargs)
        if not interested:
            return y
        if isinstance(y, (list, tuple)):
            y = type(y)(_fresh_output(t, args) for t in y)
        else:
            y = _fresh_output(y, args)
        variables = list(kwargs.get("variables", ()) or ())

        def vjp(g):
            grads = grad_fn(*g) if isinstance(g, list) else grad_fn(g)
            if variables:
                grads = grads[0]
            return grads if isinstance(grads, (list, tuple)) else (grads,)
        _add_nodes(y, inputs, interested, None, args, {}, vjp)
        return y

    import functools
    return functools.wraps(f)(wrapper)


def _fresh_output(t, args):
    """A copy of ``t`` where ``f`` handed back one of its arguments or another tensor a tape
    already tracks: the output must be a node of its own (as TensorFlow's identity_n makes
    it), or the gradient would also flow around the custom function."""
    if isinstance(t, Tensor) and (type(t) in PLAIN_CLASS or any(t is a for a in args)):
        from .tensor import wrap
        return wrap(t._data, t._dtype, t._device)      # (the array is never written)
    return t


def grad_pass_through(f):
    """``f`` in the forward pass, the identity in the backward one: the upstream gradient
    passes to each input unchanged (a straight-through estimator for rounding and the
    like).

    >>> y = ts.grad_pass_through(ts.round)(x * 3)    # dy/dx = 3
    """
    import functools

    @custom_gradient
    def passed(*args):
        def grad(upstream):
            return tuple(upstream for _ in args) if len(args) > 1 else upstream
        return f(*args), grad
    return functools.wraps(f)(passed)


class _VariableLog:
    """Stands in for the tapes while recompute_grad's forward pass runs: it notes the
    trainable Variables ``f`` reads and tracks nothing, so no op keeps its inputs."""

    def __init__(self):
        self._tracked: dict = {}
        self.read: dict = {}

    def _watches_variable(self, v) -> bool:
        if v.trainable and _differentiable_dtype(v.dtype):
            self.read[id(v)] = v
        return False


def recompute_grad(f):
    """TensorFlow's memory-saving decorator: ``f`` runs forward without the tapes keeping
    any of its intermediate values (only its inputs and output are held), and runs again
    under a tape of its own in the backward pass, which differentiates that second run.
    Memory for activations is traded for a second forward pass; the values and gradients
    (for the tensor arguments and the trainable Variables ``f`` reads) are the same.

    >>> block = ts.recompute_grad(lambda x: ts.nn.relu(x @ w1) @ w2)
    """
    import functools

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        inputs, interested = _watched_inputs(args)
        log = _VariableLog()
        saved = RECORDING[:]
        RECORDING[:] = [log] if saved else []
        try:
            result = f(*args, **kwargs)
        finally:
            RECORDING[:] = saved
        variables = [v for v in log.read.values()
                     if any(t._watches_variable(v) for t in saved)]
        for i, v in enumerate(variables):               # the vjp's results after the args'
            inputs.append(((len(args) + i,), v))
            for t in saved:
                if t._watches_variable(v):
                    interested[id(t)] = t
        if not interested:
            return result
        outputs = flatten(result)

        def vjp(g):
            from .ops.creation import zeros_like
            from .ops.shape import identity
            upstream = g if isinstance(g, list) else [g]
            with GradientTape(watch_accessed_variables=False) as tape:
                # a recorded copy: the tape watches it apart from the original, and tapes
                # outside still see how it depends on the argument (higher derivatives)
                again = [identity(a) if isinstance(a, Tensor) else a for a in args]
                tape.watch([a for a in again if isinstance(a, Tensor)] + variables)
                recomputed = flatten(f(*again, **kwargs))
            upstream = [zeros_like(r) if u is None else u for u, r in zip(upstream, recomputed)]
            sources = [a for a in again if isinstance(a, Tensor)] + variables
            grads = tape.gradient(recomputed, sources, output_gradients=upstream,
                                  unconnected_gradients="zero")
            by_position = iter(grads)
            arg_grads = [next(by_position) if isinstance(a, Tensor) else None for a in again]
            return tuple(arg_grads) + tuple(by_position)
        _add_nodes(outputs if len(outputs) > 1 else outputs[0], inputs, interested, None,
                   list(args) + variables, {}, vjp)
        return result
    return wrapper



registry._record_impl = record  # the slow paths call it while a tape records
