"""ts.keras.utils: Keras's progress bar, custom-object registry and data-tuple helpers."""

import pytest

import tensorshell as ts
def test_progbar_prints_keras_lines(capsys):
    bar = ts.keras.utils.Progbar(5, verbose=2)
    for i in range(1, 6):
        bar.update(i, [("loss", 1.0 / i), ("acc", ts.constant(0.5))])
    line = capsys.readouterr().out
    assert line.startswith("5/5 [====================] - ") and line.endswith(
        " - loss: 0.2000 - acc: 0.5000\n")
    bar = ts.keras.utils.Progbar(4, verbose=1, interval=0, stateful_metrics=["lr"])
    bar.update(1, [("loss", 2.0), ("lr", 0.1)])
    bar.add(1, [("loss", 1.0), ("lr", 0.05)])
    out = capsys.readouterr().out
    assert "1/4 [====>" in out and "ETA" in out
    assert "2/4 [=========>" in out and "loss: 1.5000 - lr: 0.0500" in out
    unknown = ts.keras.utils.Progbar(None, verbose=1, interval=0)
    unknown.update(3)
    assert "3/Unknown" in capsys.readouterr().out


def test_custom_object_registry_and_data_tuples():
    @ts.keras.utils.register_keras_serializable(package="tests")
    class HalfLoss:
        pass
    assert ts.keras.utils.get_registered_name(HalfLoss) == "tests>HalfLoss"
    assert ts.keras.utils.get_registered_object("tests>HalfLoss") is HalfLoss
    assert ts.keras.utils.get_custom_objects()["tests>HalfLoss"] is HalfLoss
    with pytest.raises(ValueError, match="already been registered"):
        ts.keras.utils.register_keras_serializable(package="tests")(HalfLoss)
    with ts.keras.utils.custom_object_scope({"Mine": 3}):
        assert ts.keras.utils.get_registered_object("Mine") == 3
    assert ts.keras.utils.get_registered_object("Mine") is None
    unpack = ts.keras.utils.unpack_x_y_sample_weight
    assert unpack((1, 2)) == (1, 2, None) and unpack([1]) == (1, None, None)
    assert unpack(5) == (5, None, None) and unpack((1, 2, 3)) == (1, 2, 3)
    pack = ts.keras.utils.pack_x_y_sample_weight
    assert pack(1) == 1 and pack((1, 2)) == ((1, 2),) and pack(1, 2, 3) == (1, 2, 3)
