"""ts.Module and ts.name_scope: Variables and sub-modules found in attributes in
TensorFlow's order, names scoped as TensorFlow scopes them, and a training step over
model.trainable_variables."""

import numpy as np
import pytest

import tensorshell as ts


class Dense(ts.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = ts.Variable(ts.ones([n_in, n_out]), name="w")
        self.b = ts.Variable(ts.zeros([n_out]), name="b", trainable=False)

    def __call__(self, x):
        return x @ self.w + self.b


class MLP(ts.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 3, name="l1"), Dense(3, 1)]
        self.a = ts.Variable(1., name="a")
        self.z = {"k": ts.Variable(2., name="z")}
        self.same = self.a                      # the same Variable twice: listed once


def test_variables_in_tensorflows_order():
    m = MLP()
    assert m.name == "mlp" and m.layers[1].name == "dense"
    # own attributes first (sorted by name), then each sub-module's
    assert [v.name for v in m.variables] == ["a:0", "z:0", "b:0", "w:0", "b:0", "w:0"]
    assert [v.name for v in m.trainable_variables] == ["a:0", "z:0", "w:0", "w:0"]
    assert [v.name for v in m.non_trainable_variables] == ["b:0", "b:0"]
    assert [s.name for s in m.submodules] == ["l1", "dense"]
    assert isinstance(m.trainable_variables, tuple)
    assert repr(m) == "<MLP 'mlp': 6 variables>"


def test_name_scopes():
    with ts.name_scope("outer") as scope:
        assert scope == "outer/"
        with ts.name_scope("inner"):
            assert ts.Variable(1., name="v").name == "outer/inner/v:0"
        assert ts.Variable(1.).name == "outer/Variable:0"
        with ts.name_scope("root/"):
            assert ts.Variable(1., name="r").name == "root/r:0"
    assert ts.Variable(1., name="plain").name == "plain:0"

    class Scoped(ts.Module):
        @ts.Module.with_name_scope
        def build(self):
            self.k = ts.Variable(1., name="k")

    s = Scoped(name="block")
    s.build()
    assert s.k.name == "block/k:0" and s.name_scope.name == "block/"
    with pytest.raises(ValueError, match="valid module name"):
        ts.Module(name="not valid!")


def test_a_training_step_over_trainable_variables():
    m = Dense(2, 1)
    opt = ts.optimizers.SGD(learning_rate=0.1)
    x, y = ts.constant([[1., 2.]]), ts.constant([[1.]])
    with ts.GradientTape() as tape:
        loss = ts.reduce_sum(ts.square(m(x) - y))
    grads = tape.gradient(loss, m.trainable_variables)
    opt.apply_gradients(zip(grads, m.trainable_variables))
    # d loss / d w = 2 * (3 - 1) * x
    np.testing.assert_allclose(m.w.numpy(), [[1 - 0.4], [1 - 0.8]], rtol=1e-6)
    assert m.b.numpy().tolist() == [0.]                     # not trainable: untouched


def test_matches_tensorflow():
    tf = pytest.importorskip("tensorflow")

    def build(lib):
        class Leaf(lib.Module):
            def __init__(self, name=None):
                super().__init__(name=name)
                self.v = lib.Variable(1., name="v")

        class Tree(lib.Module):
            def __init__(self):
                super().__init__()
                self.kids = {"b": Leaf("second"), "a": Leaf("first")}
                self.mid = lib.Variable(2., name="mid", trainable=False)
        return Tree()

    ours, theirs = build(ts), build(tf)
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    assert [m.name for m in ours.submodules] == [m.name for m in theirs.submodules]
    assert ours.name == theirs.name
