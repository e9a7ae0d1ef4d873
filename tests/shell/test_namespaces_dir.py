"""Completion offers what users can use: the public namespaces' dir() hides their imports."""

import pytest

import tensorshell as ts


@pytest.mark.parametrize("name", ["config", "data", "debugging", "io", "nest", "optimizers",
                                  "queue", "ragged", "sets", "sparse", "strings", "train"])
def test_namespace_dir_hides_imports(name):
    names = dir(getattr(ts, name))
    assert not {"np", "annotations", "struct", "csv", "re", "os", "dtypes", "speedups",
                "Mapping", "defaultdict", "NamedTuple"} & set(names)
    assert names and all(hasattr(getattr(ts, name), n) for n in names)
    assert names == sorted(names)


@pytest.mark.parametrize("name", ["activations", "backend", "constraints", "initializers",
                                  "losses", "metrics", "regularizers", "utils"])
def test_keras_namespace_dir_hides_imports(name):
    names = dir(getattr(ts.keras, name))
    assert not {"np", "annotations", "tf", "math", "functools", "inspect", "gc"} & set(names)
    assert names and all(hasattr(getattr(ts.keras, name), n) for n in names)


def test_namespace_dir_keeps_exports():
    assert {"decode_png", "TFRecordWriter", "parse_example"} <= set(dir(ts.io))
    assert {"Adam", "schedules"} <= set(dir(ts.optimizers))
    assert {"Checkpoint", "Example"} <= set(dir(ts.train))
    assert {"floatx", "ctc_batch_cost", "rnn"} <= set(dir(ts.keras.backend))
