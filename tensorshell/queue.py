"""``ts.queue``: TensorFlow's queues - FIFOQueue, PaddingFIFOQueue, PriorityQueue and
RandomShuffleQueue - for handing tensors between threads (a producer enqueues, the training
loop dequeues).

>>> q = ts.queue.FIFOQueue(3, [ts.int32, ts.string], shapes=[[], []])
>>> q.enqueue([10, b"windy"])
>>> q.enqueue_many([[13, 16], [b"cloudy", b"rainy"]])
>>> q.dequeue()            # [10, b'windy']
>>> q.dequeue_many(2)      # [[13, 16], [b'cloudy', b'rainy']]

As TensorFlow's: each element is a tuple of components with the queue's dtypes (a single
component comes back bare; with ``names``, as a dict); enqueueing into a full queue and
dequeueing from an empty one wait for another thread (Ctrl-C interrupts the wait); once
``close()``d, a queue refuses new elements (CancelledError) and dequeues raise
OutOfRangeError when too few elements are left. RandomShuffleQueue draws from NumPy's
generator (seeded by ``seed``), not TensorFlow's sequence.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import threading

import numpy as np

from .engine import dtypes as _dtypes
from .engine.errors import CancelledError, InvalidArgumentError, OutOfRangeError
from .engine.ops import creation as _creation, shape as _shape
from .engine.tensor import TensorShape, convert_to_tensor

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase",
           "RandomShuffleQueue"]

_WAIT = 0.1     # seconds between checks while blocked, so Ctrl-C gets through


class QueueBase:
    """What every queue does; the subclasses choose the order elements leave in."""

    _kind = "Queue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name=None):
        self._dtypes = [_dtypes.as_dtype(d) for d in (
            dtypes if isinstance(dtypes, (list, tuple)) else [dtypes])]
        n = len(self._dtypes)
        if shapes is None:
            self._shapes = [TensorShape(None)] * n
        else:
            # TensorFlow's reading: a list of ints (or None) is one shape, else one per dtype
            if isinstance(shapes, TensorShape) or all(
                    d is None or isinstance(d, (int, np.integer)) for d in shapes):
                shapes = [shapes]
            self._shapes = [TensorShape(s) for s in shapes]
            if len(self._shapes) != n:
                raise ValueError(f"Queue shapes must have the same length as dtypes: "
                                 f"{len(self._shapes)} vs. {n}")
        if names is not None:
            names = [names] if isinstance(names, str) else list(names)
            if len(names) != n:
                raise ValueError(f"Queue names must have the same length as dtypes: "
                                 f"{len(names)} vs. {n}")
        self._names = names
        self._capacity = int(capacity) if capacity is not None and capacity >= 0 else None
        self._name = name or self._default_name
        self._lock = threading.Condition()
        self._closed = False
        self._cancelled = False

    # -- what a queue reports about itself ----------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtypes(self):
        return list(self._dtypes)

    @property
    def shapes(self):
        return list(self._shapes)

    @property
    def names(self):
        return None if self._names is None else list(self._names)

    def size(self, name=None):
        """The number of elements in the queue (int32)."""
        with self._lock:
            return convert_to_tensor(np.int32(self._count()))

    def is_closed(self, name=None):
        return convert_to_tensor(self._closed)

    def __repr__(self):
        kinds = ", ".join(d.name for d in self._dtypes)
        return (f"<ts.queue.{type(self).__name__} '{self._name}' capacity="
                f"{self._capacity if self._capacity is not None else 'unbounded'} size="
                f"{self._count()} dtypes=[{kinds}]{' closed' if self._closed else ''}>")

    # -- putting elements in -----------------------------------------------------------------

    def _components(self, vals, many):
        """``vals`` as one tensor per component, converted to the queue's dtypes."""
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError("Queue with names requires a dict of values, got "
                                 f"{type(vals).__name__}")
            if sorted(vals) != sorted(self._names):
                raise ValueError(f"Keys in dict ({sorted(vals)}) must match queue names "
                                 f"({sorted(self._names)})")
            vals = [vals[k] for k in self._names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        dtypes = self._enqueue_dtypes()
        if len(vals) != len(dtypes):
            raise InvalidArgumentError(
                None, None, f"{self._kind} '{self._name}' takes {len(dtypes)} component(s) "
                f"({', '.join(d.name for d in dtypes)}), got {len(vals)}")
        out = []
        for i, (v, d) in enumerate(zip(vals, dtypes)):
            t = convert_to_tensor(v, d)
            shape = t.shape[1:] if many else t.shape
            if many and t.ndim == 0:
                raise ValueError(f"enqueue_many: component {i} is a scalar; it needs a first "
                                 "dimension to split into elements")
            self._enqueue_shapes()[i].assert_is_compatible_with(shape)
            out.append(t)
        return out

    def _enqueue_dtypes(self):
        return self._dtypes

    def _enqueue_shapes(self):
        return self._shapes

    def enqueue(self, vals, name=None):
        """Add one element (a component, a list of components, or a dict with ``names``),
        waiting while the queue is full."""
        self._put([self._components(vals, many=False)])

    def enqueue_many(self, vals, name=None):
        """Add the elements along the first dimension of every component."""
        comps = self._components(vals, many=True)
        n = {int(c.shape[0]) for c in comps}
        if len(n) != 1:
            raise InvalidArgumentError(None, None, "enqueue_many: the components differ in "
                                       f"their first dimension: {sorted(n)}")
        count = n.pop()
        self._put([[c[i] for c in comps] for i in range(count)])

    def _put(self, elements):
        with self._lock:
            if self._closed:
                raise CancelledError(None, None, f"{self._kind} '{self._name}' is closed.")
            for element in elements:
                # an enqueue already waiting when the queue closes still completes, unless
                # close(cancel_pending_enqueues=True)
                while self._capacity is not None and self._count() >= self._capacity:
                    if self._cancelled:
                        raise CancelledError(None, None, f"{self._kind} '{self._name}' is "
                                             "closed.")
                    self._lock.wait(_WAIT)
                self._push(element)
                self._lock.notify_all()

    # -- taking elements out -----------------------------------------------------------------

    def _available(self, n):
        return self._count() >= n

    def _take(self, n, up_to=False, op="Dequeue"):
        with self._lock:
            while not self._available(n):
                if self._closed:             # no more to come: take what is there
                    have = self._count()
                    if have >= n:
                        break
                    if up_to and have > 0:
                        n = have
                        break
                    raise OutOfRangeError(None, None, f"{self._kind} '{self._name}' is closed "
                                          f"and has insufficient elements (requested {n}, "
                                          f"current size {have})")
                self._lock.wait(_WAIT)
            taken = [self._pop() for _ in range(n)]
            self._lock.notify_all()
            return taken

    def _result(self, components):
        if self._names is not None:
            return dict(zip(self._names, components))
        return components[0] if len(components) == 1 else list(components)

    def dequeue(self, name=None):
        """Remove and return one element, waiting while the queue is empty."""
        return self._result(self._take(1)[0])

    def _batched(self, n, up_to):
        n = int(n)
        if any(not s.is_fully_defined() for s in self._shapes):
            raise InvalidArgumentError(None, None, f"{self._kind}'s DequeueMany and "
                                       "DequeueUpTo require the components to have specified "
                                       "shapes.")
        elements = self._take(n, up_to)
        return self._result(self._stack(elements))

    def _stack(self, elements):
        return [_shape.stack(list(parts)) if parts else
                _creation.zeros([0] + s.as_list(), d)
                for parts, s, d in zip(zip(*elements) if elements else
                                       [()] * len(self._out_dtypes()),
                                       self._out_shapes(), self._out_dtypes())]

    def _out_dtypes(self):
        return self._dtypes

    def _out_shapes(self):
        return self._shapes

    def dequeue_many(self, n, name=None):
        """Remove ``n`` elements, stacked along a new first dimension, waiting for them."""
        return self._batched(n, up_to=False)

    def dequeue_up_to(self, n, name=None):
        """As ``dequeue_many``, but a closed queue gives what it has left."""
        return self._batched(n, up_to=True)

    def close(self, cancel_pending_enqueues=False, name=None):
        """Accept no more elements; with ``cancel_pending_enqueues``, enqueues waiting for room
        fail too."""
        with self._lock:
            self._closed = True
            self._cancelled = self._cancelled or bool(cancel_pending_enqueues)
            self._lock.notify_all()

    @staticmethod
    def from_list(index, queues):
        """The queue ``queues[index]`` (all must have the same dtypes)."""
        if not queues or any(q.dtypes != queues[0].dtypes for q in queues):
            raise TypeError("A list of queues expected with the same dtypes")
        return queues[int(convert_to_tensor(index).numpy())]


class FIFOQueue(QueueBase):
    """Elements leave in the order they came."""

    _kind, _default_name = "FIFOQueue", "fifo_queue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name=None):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        self._items = collections.deque()

    def _count(self):
        return len(self._items)

    def _push(self, element):
        self._items.append(element)

    def _pop(self):
        return self._items.popleft()


class PaddingFIFOQueue(FIFOQueue):
    """A FIFOQueue whose shapes may leave dimensions unknown (``None``): ``dequeue_many``
    pads each batch with zeros (empty strings) to its largest element."""

    _kind, _default_name = "PaddingFIFOQueue", "padding_fifo_queue"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None, name=None):
        if not isinstance(shapes, (list, tuple)) or not shapes or any(
                s is None or isinstance(s, (int, np.integer)) for s in shapes):
            raise ValueError("When providing partial shapes, a list of shapes must be "
                             f"provided (one per component), got {shapes!r}")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        if any(s.rank is None for s in self._shapes):
            raise ValueError("PaddingFIFOQueue needs the rank of every component: shapes may "
                             f"have None sizes but not unknown ranks, got {self._shapes}")

    def _batched(self, n, up_to):
        elements = self._take(int(n), up_to)
        out = []
        for i, (shape, dtype) in enumerate(zip(self._shapes, self._dtypes)):
            parts = [e[i] for e in elements]
            sizes = [max([int(p.shape[k]) for p in parts] + [0]) if shape[k] is None
                     else shape[k] for k in range(shape.rank)]
            padded = [_shape.pad(p, [[0, s - int(d)] for s, d in zip(sizes, p.shape)],
                                 constant_values=b"" if dtype is _dtypes.string else 0)
                      for p in parts]
            out.append(_shape.stack(padded) if padded else _creation.zeros([0] + sizes, dtype))
        return self._result(out)


class PriorityQueue(QueueBase):
    """Elements leave smallest priority first: each is ``[priority, *components]`` with an
    int64 ``priority`` (not among ``types``), and dequeues return it first."""

    _kind, _default_name = "PriorityQueue", "priority_queue"

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None,
                 name=None):
        super().__init__(capacity, list(types) if isinstance(types, (list, tuple)) else
                         [types], shapes, names, shared_name, name)
        if shapes is None:
            raise ValueError("PriorityQueue needs the shape of every component")
        self._items = []
        self._order = itertools.count()

    @property
    def dtypes(self):
        return [_dtypes.int64] + list(self._dtypes)

    @property
    def shapes(self):
        return [TensorShape([])] + list(self._shapes)

    def _enqueue_dtypes(self):
        return [_dtypes.int64] + self._dtypes

    def _enqueue_shapes(self):
        return [TensorShape([])] + self._shapes

    _out_dtypes, _out_shapes = _enqueue_dtypes, _enqueue_shapes

    def _components(self, vals, many):
        if self._names is not None:
            raise ValueError("PriorityQueue with names is not supported by TensorFlow either")
        return super()._components(vals, many)

    def _count(self):
        return len(self._items)

    def _push(self, element):
        heapq.heappush(self._items, (int(element[0].numpy()), next(self._order), element))

    def _pop(self):
        return heapq.heappop(self._items)[2]

class RandomShuffleQueue(QueueBase):
    """Elements leave in random order; dequeues wait until more than ``min_after_dequeue``
    elements would remain (unless the queue is closed), so the mix stays shuffled."""

    _kind, _default_name = "RandomShuffleQueue", "random_shuffle_queue"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name=None):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        self._min_after = int(min_after_dequeue)
        self._items = []
        self._rng = np.random.default_rng(seed)

    def _count(self):
        return len(self._items)

    def _available(self, n):
        return self._count() - n >= self._min_after

    def _push(self, element):
        self._items.append(element)

    def _pop(self):
        i = int(self._rng.integers(len(self._items)))
        self._items[i], self._items[-1] = self._items[-1], self._items[i]
        return self._items.pop()


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
