"""ts.queue: TensorFlow's queues - values, blocking between threads, closing, padding,
priorities and shuffling; the deterministic ones compared with TensorFlow when it is
installed."""

import faulthandler
import os
import signal
import threading
import time

import pytest

import tensorshell as ts


@pytest.fixture(autouse=True)
def _no_test_waits_forever():
    # these tests block on purpose; a bug must fail the run, not hang it
    faulthandler.dump_traceback_later(60, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _np(x):
    if isinstance(x, dict):
        return {k: _np(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_np(v) for v in x]
    value = x.numpy()
    return value.tolist() if hasattr(value, "tolist") else value


def _script(lib):
    """The chapter's use of queues and their corners; every result, as plain values."""
    out = []
    q = lib.queue.FIFOQueue(3, [lib.int32, lib.string], shapes=((), ()))
    q.enqueue([10, b"windy"])
    q.enqueue_many([[13, 16], [b"cloudy", b"rainy"]])
    out += [_np(q.size()), _np(q.dequeue()), _np(q.dequeue_many(2))]
    single = lib.queue.FIFOQueue(2, lib.float32)
    single.enqueue(1.0)
    single.enqueue([2.0])
    out += [_np(single.dequeue()), _np(single.dequeue())]
    named = lib.queue.FIFOQueue(3, [lib.int32, lib.float32], shapes=[[], [2]], names=["a", "b"])
    named.enqueue({"a": 1, "b": [1., 2.]})
    named.enqueue_many({"a": [2, 3], "b": [[3., 4.], [5., 6.]]})
    named.close()                    # else dequeue_up_to(5) would wait for 5 elements
    out += [_np(named.dequeue()), _np(named.dequeue_up_to(5))]
    padding = lib.queue.PaddingFIFOQueue(4, [lib.int32, lib.string], shapes=[[None], [None]])
    padding.enqueue([[1], [b"a", b"b"]])
    padding.enqueue([[1, 2, 3], [b"c"]])
    out.append(_np(padding.dequeue_many(2)))
    priority = lib.queue.PriorityQueue(4, [lib.string], shapes=[[]])
    for p, v in [(5, b"five"), (1, b"one"), (3, b"three")]:
        priority.enqueue([p, v])
    out += [_np(priority.dequeue()), _np(priority.dequeue_many(2))]
    closing = lib.queue.FIFOQueue(5, lib.int32, shapes=[[]])
    closing.enqueue_many([[1, 2]])
    closing.close()
    out += [_np(closing.is_closed()), _np(closing.dequeue_up_to(5))]
    for call in (closing.dequeue, lambda: closing.dequeue_many(1),
                 lambda: closing.enqueue(3)):
        try:
            call()
        except Exception as e:       # noqa: BLE001 - comparing the error classes
            out.append(type(e).__name__)
    return out


def test_the_queues_behave_as_tensorflows():
    assert _script(ts) == [
        3, [10, b"windy"], [[13, 16], [b"cloudy", b"rainy"]], 1.0, 2.0,
        {"a": 1, "b": [1.0, 2.0]}, {"a": [2, 3], "b": [[3.0, 4.0], [5.0, 6.0]]},
        [[[1, 0, 0], [1, 2, 3]], [[b"a", b"b"], [b"c", b""]]],
        [1, b"one"], [[3, 5], [b"three", b"five"]], True, [1, 2],
        "OutOfRangeError", "OutOfRangeError", "CancelledError"]


@pytest.mark.tf_oracle
def test_same_results_as_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    assert _script(ts) == _script(tf)


def test_threads_hand_tensors_over():
    q = ts.queue.FIFOQueue(2, ts.float32, shapes=[[]])
    produced = []

    def producer():
        for i in range(20):
            q.enqueue(float(i))          # waits whenever the queue holds 2
            produced.append(i)
        q.close()

    thread = threading.Thread(target=producer)
    thread.start()
    got = []
    while True:
        try:
            got.append(float(q.dequeue().numpy()))
        except ts.errors.OutOfRangeError:
            break
    thread.join(5)
    assert got == [float(i) for i in range(20)] and produced == list(range(20))


def test_closing_wakes_the_waiting():
    q = ts.queue.FIFOQueue(1, ts.int32, shapes=[[]])
    q.enqueue(1)
    errors = []

    def blocked_enqueue():
        try:
            q.enqueue(2)
        except ts.errors.CancelledError as e:
            errors.append(e)

    thread = threading.Thread(target=blocked_enqueue)
    thread.start()
    time.sleep(0.2)
    q.close(cancel_pending_enqueues=True)
    thread.join(5)
    assert len(errors) == 1 and "is closed" in str(errors[0])
    assert q.dequeue().numpy() == 1
    # a dequeue waiting on an empty queue fails as soon as the queue closes
    empty = ts.queue.FIFOQueue(1, ts.int32, shapes=[[]])
    threading.Timer(0.2, empty.close).start()
    with pytest.raises(ts.errors.OutOfRangeError, match="requested 1, current size 0"):
        empty.dequeue()


def test_an_enqueue_waiting_at_close_still_completes_without_cancel():
    q = ts.queue.FIFOQueue(1, ts.int32, shapes=[[]])
    q.enqueue(1)
    thread = threading.Thread(target=q.enqueue, args=(2,))
    thread.start()
    time.sleep(0.2)
    q.close()
    assert q.dequeue().numpy() == 1
    thread.join(5)
    assert q.dequeue().numpy() == 2


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs POSIX signals")
def test_ctrl_c_interrupts_a_waiting_dequeue():
    q = ts.queue.FIFOQueue(1, ts.int32, shapes=[[]])
    main = threading.main_thread().ident
    threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        q.dequeue()
    q.enqueue(7)                               # the queue still works afterwards
    assert q.dequeue().numpy() == 7


def test_random_shuffle_queue_keeps_a_reserve_and_is_seeded():
    def draw(seed):
        q = ts.queue.RandomShuffleQueue(10, 3, ts.int32, shapes=[[]], seed=seed)
        q.enqueue_many([list(range(8))])
        first = q.dequeue_many(5).numpy().tolist()     # leaves exactly 3
        assert q.size().numpy() == 3
        q.close()
        return first + q.dequeue_many(3).numpy().tolist()
    a = draw(1)
    assert sorted(a) == list(range(8)) and a == draw(1) and a != list(range(8))
    q = ts.queue.RandomShuffleQueue(10, 3, ts.int32, shapes=[[]])
    q.enqueue_many([[1, 2, 3]])
    threading.Timer(0.2, q.close).start()
    assert sorted(q.dequeue_many(3).numpy().tolist()) == [1, 2, 3]   # closed: reserve freed


@pytest.mark.parametrize("call, error, match", [
    (lambda: ts.queue.FIFOQueue(2, ts.int32).dequeue_many(1), ts.errors.InvalidArgumentError,
     "require the components to have specified shapes"),
    (lambda: ts.queue.FIFOQueue(2, [ts.int32, ts.string]).enqueue([1]),
     ts.errors.InvalidArgumentError, r"takes 2 component\(s\) \(int32, string\), got 1"),
    (lambda: ts.queue.FIFOQueue(2, ts.int32, shapes=[[]]).enqueue([[1, 2]]), ValueError,
     r"Shapes \(\) and \(2,\) are incompatible"),
    (lambda: ts.queue.FIFOQueue(2, ts.int32).enqueue(1.5), TypeError, "1.5"),
    (lambda: ts.queue.FIFOQueue(2, ts.int32).enqueue(ts.constant(1.)), ValueError,
     "requested dtype int32 for Tensor with dtype float32"),
    (lambda: ts.queue.FIFOQueue(2, [ts.int32], shapes=[[], []]), ValueError, "same length"),
    (lambda: ts.queue.FIFOQueue(2, [ts.int32], names=["a"]).enqueue([1]), ValueError,
     "requires a dict"),
    (lambda: ts.queue.PaddingFIFOQueue(2, [ts.int32], shapes=[None]), ValueError,
     "a list of shapes must be provided"),
    (lambda: ts.queue.PaddingFIFOQueue(2, [ts.int32], shapes=[ts.TensorShape(None)]),
     ValueError, "unknown ranks"),
])
def test_bad_arguments_explain_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_repr_says_what_it_holds():
    q = ts.queue.FIFOQueue(3, [ts.int32, ts.string], shapes=[[], []], name="inbox")
    q.enqueue([1, b"x"])
    assert repr(q) == "<ts.queue.FIFOQueue 'inbox' capacity=3 size=1 dtypes=[int32, string]>"
    assert q.dtypes == [ts.int32, ts.string] and q.names is None
    assert ts.queue.QueueBase.from_list(0, [q, q]) is q
