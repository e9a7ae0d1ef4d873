"""ts.train.Checkpoint / CheckpointManager and the checkpoint readers: TensorFlow's
TensorBundle format and object graph, restored by path, with optimizer slots restored when
the optimizer builds them. ``tf_checkpoint/`` was written by TensorFlow 2.21 (a 2-layer
model and Adam after 3 steps, kept by a CheckpointManager with max_to_keep=2), so reading
TensorFlow's files is checked on every machine; with TensorFlow installed, both directions
are checked live."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest

import tensorshell as ts

FIXTURE = pathlib.Path(__file__).with_name("tf_checkpoint")


class Dense(ts.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = ts.Variable(ts.reshape(ts.range(n_in * n_out, dtype=ts.float32),
                                        [n_in, n_out]) / 10, name="w")
        self.b = ts.Variable(ts.zeros([n_out]), name="b")

    def __call__(self, x):
        return ts.nn.relu(x @ self.w + self.b)


class Model(ts.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(3, 4), Dense(4, 2)]
        self.meta = {"label": ts.Variable("ts", trainable=False),
                     "steps": ts.Variable(ts.constant(0, ts.int64), trainable=False)}

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


X = ts.constant([[1., -2., 3.], [0.5, 0.5, -1.]])


def train(model, opt, steps):
    for _ in range(steps):
        with ts.GradientTape() as tape:
            loss = ts.reduce_sum(model(X) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                model.trainable_variables))


def weights(model):
    return [v.numpy() for layer in model.layers for v in (layer.w, layer.b)]


# -- reading TensorFlow's files -----------------------------------------------------------------

def test_reads_a_checkpoint_tensorflow_wrote():
    assert ts.train.latest_checkpoint(FIXTURE) == str(FIXTURE / "ckpt-3")
    keys = dict(ts.train.list_variables(FIXTURE))
    assert keys["model/meta/label/.ATTRIBUTES/VARIABLE_VALUE"] == []
    assert keys["optimizer/_variables/4/.ATTRIBUTES/VARIABLE_VALUE"] == [3, 4]
    assert ts.train.load_variable(FIXTURE, "model/meta/label") == b"tf-written"
    reader = ts.train.load_checkpoint(FIXTURE / "ckpt-2")
    assert reader.get_variable_to_dtype_map()["save_counter/.ATTRIBUTES/VARIABLE_VALUE"] \
        is ts.int64
    assert reader.get_tensor("optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE") == 2

    model, opt = Model(), ts.optimizers.Adam(0.001)
    ckpt = ts.train.Checkpoint(model=model, optimizer=opt)
    status = ckpt.restore(ts.train.latest_checkpoint(FIXTURE))
    reference, ref_opt = Model(), ts.optimizers.Adam(0.05)
    train(reference, ref_opt, 3)                 # what TensorFlow ran before saving
    for got, want in zip(weights(model), weights(reference)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert model.meta["label"].numpy() == b"tf-written"
    assert int(model.meta["steps"].numpy()) == 7
    assert int(opt.iterations.numpy()) == 3 and opt.learning_rate == pytest.approx(0.05)
    assert int(ckpt.save_counter.numpy()) == 3
    with pytest.raises(AssertionError, match="Unresolved object"):
        status.assert_consumed()                 # Adam's slots wait for its first step
    status.assert_existing_objects_matched()
    train(model, opt, 2)
    train(reference, ref_opt, 2)
    status.assert_consumed()
    for got, want in zip(weights(model), weights(reference)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


# -- round trips ----------------------------------------------------------------------------

VALUES = {
    "float16": np.array([1.5, -2.25], np.float16), "float32": np.float32(3.5),
    "float64": np.arange(6.).reshape(2, 3), "int8": np.array([-128, 127], np.int8),
    "int16": np.array([7], np.int16), "int32": np.array([[1, 2]], np.int32),
    "int64": np.int64(-2 ** 40), "uint8": np.array([255, 0], np.uint8),
    "uint16": np.uint16(65535), "uint32": np.array([2 ** 32 - 1], np.uint32),
    "uint64": np.array([2 ** 64 - 1], np.uint64), "bool": np.array([True, False]),
    "complex64": np.array([1 + 2j], np.complex64), "complex128": np.complex128(-1j),
    "string": np.array([b"", b"a" * 300, "é".encode()], object),
}


@pytest.mark.parametrize("dtype", sorted(VALUES))
def test_every_dtype_round_trips(tmp_path, dtype):
    value = VALUES[dtype]
    source = ts.Variable(value)
    path = ts.train.Checkpoint(v=source).write(tmp_path / "one")
    target = ts.Variable(ts.zeros_like(source) if dtype != "string" else
                         np.array([b"x"] * 3, object))
    ts.train.Checkpoint(v=target).read(path).assert_consumed()
    assert target.dtype is source.dtype
    np.testing.assert_array_equal(target.numpy(), value)


def test_object_graph_paths_are_tensorflows(tmp_path):
    class Holder(ts.Module):
        def __init__(self):
            super().__init__()
            self.zeta = ts.Variable([1., 2.])
            self.alpha = ts.Variable(3)
            self.items = [ts.Variable(1.), ts.Module(), 5]
            self.table = {"k2": ts.Variable(True), "k.1/x": ts.Variable([1, 2])}
            self.pair = (ts.Variable(0.), None)
            self.label = "not saved"
    ckpt = ts.train.Checkpoint(model=Holder(), extra=ts.Variable(5.0))
    path = ckpt.save(tmp_path / "ckpt")
    assert path == str(tmp_path / "ckpt-1")
    assert [k for k, _ in ts.train.list_variables(tmp_path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH", "extra/.ATTRIBUTES/VARIABLE_VALUE",
        "model/alpha/.ATTRIBUTES/VARIABLE_VALUE", "model/items/0/.ATTRIBUTES/VARIABLE_VALUE",
        "model/pair/0/.ATTRIBUTES/VARIABLE_VALUE",
        "model/table/k..1.Sx/.ATTRIBUTES/VARIABLE_VALUE",   # '.' and '/' escaped
        "model/table/k2/.ATTRIBUTES/VARIABLE_VALUE", "model/zeta/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE"]
    assert (tmp_path / "checkpoint").read_text() == \
        'model_checkpoint_path: "ckpt-1"\nall_model_checkpoint_paths: "ckpt-1"\n'
    assert ckpt.save(tmp_path / "ckpt") == str(tmp_path / "ckpt-2")


@pytest.mark.parametrize("name, kwargs", [
    ("SGD", {"momentum": 0.9}), ("SGD", {}), ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adam", {}), ("Adam", {"amsgrad": True}), ("Nadam", {}), ("Adagrad", {})])
def test_training_resumes_exactly(tmp_path, name, kwargs):
    model, opt = Model(), getattr(ts.optimizers, name)(0.05, **kwargs)
    train(model, opt, 3)
    ts.train.Checkpoint(model=model, optimizer=opt).save(tmp_path / "ckpt")
    train(model, opt, 2)
    again, opt2 = Model(), getattr(ts.optimizers, name)(0.01, **kwargs)
    status = ts.train.Checkpoint(model=again, optimizer=opt2).restore(tmp_path)
    assert opt2.learning_rate == pytest.approx(0.05)       # restored, as TensorFlow does
    train(again, opt2, 2)
    status.assert_consumed()
    for got, want in zip(weights(again), weights(model)):
        np.testing.assert_array_equal(got, want)


def test_schedule_learning_rate_is_not_saved(tmp_path):
    schedule = ts.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    model, opt = Model(), ts.optimizers.SGD(schedule)
    train(model, opt, 1)
    ts.train.Checkpoint(model=model, optimizer=opt).write(tmp_path / "c")
    keys = [k for k, _ in ts.train.list_variables(tmp_path / "c")]
    assert not any("_learning_rate" in k for k in keys)
    opt2 = ts.optimizers.SGD(schedule)
    ts.train.Checkpoint(model=Model(), optimizer=opt2).read(tmp_path / "c").assert_consumed()
    assert opt2._learning_rate is schedule and int(opt2.iterations.numpy()) == 1


# -- failures leave everything as it was ----------------------------------------------------------

def test_shape_mismatch_raises_and_changes_nothing(tmp_path):
    source = {"a": ts.Variable([1., 2.]), "b": ts.Variable([1., 2., 3.])}
    path = ts.train.Checkpoint(vars=source).write(tmp_path / "c")
    target = {"a": ts.Variable([0., 0.]), "b": ts.Variable([0., 0.])}
    with pytest.raises(ValueError, match=r"incompatible tensor with shape \(3,\)"):
        ts.train.Checkpoint(vars=target).read(path)
    assert target["a"].numpy().tolist() == [0., 0.]           # not half restored
    dtype_target = {"a": ts.Variable([0, 0]), "b": ts.Variable([0., 0., 0.])}
    with pytest.raises(ValueError, match="holds float32, but variable .* is int32"):
        ts.train.Checkpoint(vars=dtype_target).read(path)


def test_partial_matches_and_statuses(tmp_path):
    path = ts.train.Checkpoint(a=ts.Variable(1.), b=ts.Variable(2.)).write(tmp_path / "c")
    a, c = ts.Variable(0.), ts.Variable(0.)
    status = ts.train.Checkpoint(a=a, c=c).read(path)
    assert float(a.numpy()) == 1. and float(c.numpy()) == 0.
    with pytest.raises(AssertionError, match="Unresolved object .*b/.ATTRIBUTES"):
        status.assert_consumed()
    with pytest.raises(AssertionError, match="had no value .*c"):
        status.assert_existing_objects_matched()
    status.expect_partial().assert_nontrivial_match()
    status = ts.train.Checkpoint(other=ts.Variable(0.)).read(path)
    with pytest.raises(AssertionError, match="Nothing was restored"):
        status.assert_nontrivial_match()
    with pytest.raises(AssertionError, match="No checkpoint specified"):
        ts.train.Checkpoint(a=a).restore(None).assert_consumed()


def test_bad_inputs_get_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="expecting model to be a trackable object"):
        ts.train.Checkpoint(model=5)
    with pytest.raises(ts.errors.NotFoundError, match="Failed to find any matching files"):
        ts.train.Checkpoint(a=ts.Variable(1.)).restore(tmp_path / "missing")
    with pytest.raises(ts.errors.NotFoundError, match="No checkpoint found"):
        ts.train.Checkpoint(a=ts.Variable(1.)).restore(tmp_path)
    assert ts.train.latest_checkpoint(tmp_path) is None
    path = ts.train.Checkpoint(a=ts.Variable([1., 2.])).write(tmp_path / "c")
    data = tmp_path / "c.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[-1] ^= 0xFF
    data.write_bytes(bytes(raw))
    with pytest.raises(ts.errors.DataLossError, match="Checksum does not match"):
        ts.train.load_checkpoint(path).get_tensor("a/.ATTRIBUTES/VARIABLE_VALUE")
    (tmp_path / "junk.index").write_bytes(b"not a table" * 10)
    with pytest.raises(ts.errors.DataLossError, match="not a TensorFlow checkpoint index"):
        ts.train.load_checkpoint(tmp_path / "junk")
    with pytest.raises(ts.errors.NotFoundError, match="Key nope not found"):
        ts.train.load_checkpoint(path).get_tensor("nope")


def test_many_variables_span_several_table_blocks(tmp_path):
    variables = [ts.Variable(np.full([300], i, np.float32)) for i in range(400)]
    path = ts.train.Checkpoint(vs=variables).write(tmp_path / "big")
    restored = [ts.Variable(np.zeros([300], np.float32)) for _ in range(400)]
    ts.train.Checkpoint(vs=restored).read(path).assert_consumed()
    assert [float(v.numpy()[0]) for v in restored] == list(range(400))


# -- CheckpointManager --------------------------------------------------------------------------

def test_manager_numbers_keeps_and_recovers(tmp_path):
    v = ts.Variable(0.)
    ckpt = ts.train.Checkpoint(v=v)
    manager = ts.train.CheckpointManager(ckpt, tmp_path, max_to_keep=2)
    assert manager.latest_checkpoint is None and manager.restore_or_initialize() is None
    for i in range(4):
        v.assign(float(i))
        manager.save()
    assert manager.checkpoints == [str(tmp_path / "ckpt-3"), str(tmp_path / "ckpt-4")]
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
        "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    assert manager.save(checkpoint_number=100) == str(tmp_path / "ckpt-100")
    assert int(ckpt.save_counter.numpy()) == 5
    again = ts.train.CheckpointManager(ts.train.Checkpoint(v=ts.Variable(-1.)), tmp_path,
                                       max_to_keep=2)
    assert again.checkpoints == [str(tmp_path / "ckpt-4"), str(tmp_path / "ckpt-100")]
    assert again.restore_or_initialize() == str(tmp_path / "ckpt-100")
    assert float(again.checkpoint.v.numpy()) == 3.
    with pytest.raises(ValueError, match="positive integer"):
        ts.train.CheckpointManager(ckpt, tmp_path, max_to_keep=0)


def test_manager_interval_and_init_fn(tmp_path):
    step = ts.Variable(0, dtype=ts.int64)
    started = []
    manager = ts.train.CheckpointManager(
        ts.train.Checkpoint(step=step), tmp_path, max_to_keep=None, step_counter=step,
        checkpoint_interval=10, init_fn=lambda: started.append(True))
    assert manager.restore_or_initialize() is None and started == [True]
    saved = []
    for _ in range(25):
        step.assign_add(1)
        saved.append(manager.save())
    assert [p for p in saved if p] == [str(tmp_path / f"ckpt-{n}") for n in (1, 11, 21)]
    assert manager.save(check_interval=False) == str(tmp_path / "ckpt-25")


# -- TensorFlow reads ours, live ----------------------------------------------------------------

@pytest.mark.tf_oracle
def test_tensorflow_restores_what_tensorshell_wrote(tmp_path):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    model, opt = Model(), ts.optimizers.Adam(0.05)
    train(model, opt, 3)
    model.meta["label"].assign("written here")
    ts.train.CheckpointManager(ts.train.Checkpoint(model=model, optimizer=opt), tmp_path,
                               max_to_keep=1).save()
    assert tf.train.list_variables(str(tmp_path)) == ts.train.list_variables(tmp_path)

    class TfDense(tf.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.w = tf.Variable(tf.zeros([n_in, n_out]))
            self.b = tf.Variable(tf.zeros([n_out]))

        def __call__(self, x):
            return tf.nn.relu(x @ self.w + self.b)

    class TfModel(tf.Module):
        def __init__(self):
            super().__init__()
            self.layers = [TfDense(3, 4), TfDense(4, 2)]
            self.meta = {"label": tf.Variable("", trainable=False),
                         "steps": tf.Variable(tf.constant(0, tf.int64), trainable=False)}

    theirs, their_opt = TfModel(), tf.keras.optimizers.Adam(0.001)
    status = tf.train.Checkpoint(model=theirs, optimizer=their_opt).restore(
        tf.train.latest_checkpoint(str(tmp_path)))
    x = tf.constant(X.numpy())
    for _ in range(2):
        with tf.GradientTape() as tape:
            out = x
            for layer in theirs.layers:
                out = layer(out)
            loss = tf.reduce_sum(out ** 2)
        variables = [v for layer in theirs.layers for v in (layer.b, layer.w)]
        their_opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
    status.assert_consumed()
    train(model, opt, 2)
    assert theirs.meta["label"].numpy() == b"written here"
    for layer, mine in zip(theirs.layers, model.layers):
        np.testing.assert_allclose(layer.w.numpy(), mine.w.numpy(), atol=1e-5)
        np.testing.assert_allclose(layer.b.numpy(), mine.b.numpy(), atol=1e-5)


# -- ExponentialMovingAverage (values printed by TensorFlow 2.21) --------------------------------

def test_exponential_moving_average_follows_tensorflow():
    w, step = ts.Variable([1., 2.], name="w"), ts.Variable(0, name="step")
    ema = ts.train.ExponentialMovingAverage(0.9, num_updates=step)
    assert ema.apply([w]) is None
    shadow = ema.average(w)
    assert shadow.name == "w/ExponentialMovingAverage:0" and not shadow.trainable
    assert ema.average_name(w) == "w/ExponentialMovingAverage"
    np.testing.assert_allclose(shadow.numpy(), [1., 2.])
    w.assign([3., 4.])
    ema.apply([w, w])                        # decay min(0.9, 1/10): mostly the new value
    np.testing.assert_allclose(shadow.numpy(), [2.8, 3.8], rtol=1e-6)
    step.assign(100)
    w.assign([5., 6.])
    ema.apply([w])
    np.testing.assert_allclose(shadow.numpy(), [3.02, 4.02], rtol=1e-6)
    assert ema.average(ts.Variable(1.)) is None
    assert ema.variables_to_restore() == {"w/ExponentialMovingAverage": w}
    with pytest.raises(TypeError, match="must be half, float, or double"):
        ema.apply([ts.Variable(1)])
    with pytest.raises(TypeError, match="does not support non-Variable tensors"):
        ema.apply([ts.constant(1.)])
    np.testing.assert_allclose(shadow.numpy(), [3.02, 4.02], rtol=1e-6)   # untouched


def test_checkpoint_view_and_iterator(tmp_path):
    module = ts.Module()
    module.v = ts.Variable(1.)
    module.items = [ts.Variable(2.)]
    ckpt = ts.train.Checkpoint(model=module)
    path = ckpt.save(tmp_path / "ckpt")
    assert repr(ckpt) == "<ts.train.Checkpoint: model, save_counter=1>"
    view = ts.train.CheckpointView(path)                 # as TensorFlow's, for this graph
    assert view.children(0) == {"model": 1, "save_counter": 2}
    assert view.children(1) == {"v": 3, "items": 4}
    assert view.descendants() == [0, 1, 2, 3, 4, 5]
    matched = view.match(ts.train.Checkpoint(model=module))
    assert matched[3] is module.v and matched[5] is module.items[0]
    saves = []

    def save_once():                                     # a trainer writing a new one
        if saves:
            return True
        saves.append(ckpt.save(tmp_path / "ckpt"))
        return False
    seen = list(ts.train.checkpoints_iterator(tmp_path, timeout=0.5, timeout_fn=save_once))
    assert seen == [path, saves[0]]
    assert ts.train.CheckpointOptions(enable_async=True).enable_async
