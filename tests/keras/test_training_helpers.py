"""ts.keras.losses, metrics and activations beyond the values (which test_backend.py compares
with TensorFlow): the chapter's custom training loop, subclassing, lookup by name, errors."""

import numpy as np
import pytest

import tensorshell as ts

L, M, A, Init = ts.keras.losses, ts.keras.metrics, ts.keras.activations, ts.keras.initializers


def test_a_custom_training_loop_with_keras_helpers(device):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 3)).astype(np.float32)
    y = (x @ np.array([[2.], [-1.], [0.5]], np.float32) + 0.3).astype(np.float32)
    w, b = ts.Variable(ts.zeros((3, 1))), ts.Variable(ts.zeros((1,)))
    optimizer = ts.keras.optimizers.Nadam(learning_rate=0.05)
    loss_fn = L.mean_squared_error
    mean_loss, mae = M.Mean(), M.MeanAbsoluteError()
    history = []
    for epoch in range(3):
        for step in range(0, 256, 32):
            xb, yb = x[step:step + 32], y[step:step + 32]
            with ts.GradientTape() as tape:
                y_pred = xb @ w + b
                loss = ts.reduce_mean(loss_fn(yb, y_pred))
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
            mean_loss(loss)
            mae(yb, y_pred)
        history.append(float(mean_loss.result().numpy()))
        for metric in (mean_loss, mae):
            metric.reset_state()
    assert history[2] < history[1] < history[0]
    assert w.device == loss.device


def test_subclassing_loss_and_metric():
    class HuberLoss(L.Loss):
        def __init__(self, threshold=1.0, **kwargs):
            self.threshold = threshold
            super().__init__(**kwargs)

        def call(self, y_true, y_pred):
            error = y_true - y_pred
            small = ts.abs(error) < self.threshold
            return ts.where(small, ts.square(error) / 2,
                            self.threshold * ts.abs(error) - self.threshold ** 2 / 2)

    loss = HuberLoss(2.0)
    assert loss.name.startswith("huber_loss") and loss.reduction == "sum_over_batch_size"
    got = loss([[1.], [5.]], [[0.], [0.]]).numpy()
    assert got == pytest.approx((0.5 + 2 * 5 - 2) / 2)

    class HuberMetric(M.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_variable((), name="total")
            self.count = self.add_variable((), name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            values = loss.call(ts.constant(y_true), ts.constant(y_pred))
            self.total.assign_add(ts.reduce_sum(values))
            self.count.assign_add(ts.cast(ts.size(values), ts.float32))

        def result(self):
            return self.total / self.count

    metric = HuberMetric()
    metric.update_state([[1.]], [[0.]])
    assert metric([[5.]], [[0.]]).numpy() == pytest.approx((0.5 + 8) / 2)
    assert [v.trainable for v in metric.variables] == [False, False]
    metric.reset_state()
    assert [float(v.numpy()) for v in metric.variables] == [0.0, 0.0]
    assert "HuberMetric" in repr(metric)


def test_names_lookup_and_results_are_snapshots():
    ts.keras.backend.clear_session()
    assert [M.Precision().name, M.Precision().name] == ["precision", "precision_1"]
    assert L.get("mse") is L.mean_squared_error and isinstance(L.get("Huber"), L.Huber)
    assert M.get("binary_accuracy") is M.binary_accuracy
    assert isinstance(M.get("Recall"), M.Recall)
    assert A.get(None) is A.linear and A.get("relu") is A.relu and A.serialize(A.gelu) == "gelu"
    counter = M.TruePositives()
    first = counter([1., 1.], [0.9, 0.8])
    counter.reset_state()
    assert first.numpy() == 2 and counter.result().numpy() == 0     # not an alias
    huber = L.Huber(0.5, "sum")
    assert (huber.delta, huber.reduction, huber.name) == (0.5, "sum", "huber_loss")
    assert L.Huber.__init__.__signature__.parameters["delta"].default == 1.0


@pytest.mark.parametrize("call, error, match", [
    (lambda: L.MeanSquaredError(reduction="average"), ValueError, "Invalid value for argument"),
    (lambda: L.get("no_such_loss"), ValueError, "Could not interpret loss identifier"),
    (lambda: M.get("no_such_metric"), ValueError, "Could not interpret metric identifier"),
    (lambda: A.get("no_such_activation"), ValueError, "activation function identifier"),
    (lambda: M.Precision(thresholds=[0.5, 1.5]), ValueError, r"must be in \[0, 1\]"),
    (lambda: L.categorical_crossentropy([[0., 1.]], [[0.5, 0.3, 0.2]]), ValueError,
     "must have the same shape"),
    (lambda: L.sparse_categorical_crossentropy([[1, 2]], [[0.5, 0.5]]), ValueError,
     "same shape up until the last dimension"),
    (lambda: A.glu(ts.ones((2, 3))), ValueError, "divisible by 2"),
    (lambda: L.Loss()(1., 1.), NotImplementedError, "must define call"),
    (lambda: ts.keras.layers, AttributeError, "write the forward pass with ts ops"),
    (lambda: ts.keras.utils.set_random_seed(1.5), ValueError, "integer"),
    (lambda: ts.keras.utils.pad_sequences([[1], 2]), ValueError, "non-iterable"),
    (lambda: ts.keras.utils.pad_sequences([[1]], padding="middle"), ValueError,
     "Padding type"),
    (lambda: ts.keras.utils.pad_sequences([[1]], value="x"), ValueError, "dtype=object"),
    (lambda: Init.VarianceScaling(mode="fan_sum"), ValueError, "Invalid `mode` argument"),
    (lambda: Init.VarianceScaling(scale=0), ValueError, "must be positive"),
    (lambda: Init.Orthogonal()((3,)), ValueError, "at least two-dimensional"),
    (lambda: Init.Identity()((2, 2, 2)), ValueError, "2D matrices"),
    (lambda: Init.GlorotUniform(seed=1.5), ValueError, "or an integer"),
    (lambda: Init.get("no_such_initializer"), ValueError, "Could not interpret initializer"),
])
def test_bad_arguments_explain_themselves(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_initializers_make_variables():
    init = Init.HeNormal(seed=3)
    w = ts.Variable(init((64, 32)))
    assert w.dtype is ts.float32 and w.shape == (64, 32)
    np.testing.assert_array_equal(init((64, 32)).numpy(), w.numpy())   # seeded: repeatable
    assert abs(w.numpy().std() - np.sqrt(2 / 64)) < 0.03
    unseeded = Init.GlorotUniform()
    np.testing.assert_array_equal(unseeded((3, 3)).numpy(), unseeded((3, 3)).numpy())
    assert not np.array_equal(Init.GlorotUniform()((8, 8)).numpy(),
                              Init.GlorotUniform()((8, 8)).numpy())
    q = Init.Orthogonal(seed=1)((6, 4)).numpy()
    np.testing.assert_allclose(q.T @ q, np.eye(4), atol=1e-5)
    clone = Init.get(Init.serialize(Init.VarianceScaling(0.5, "fan_out", seed=2)))
    assert clone.get_config() == Init.VarianceScaling(0.5, "fan_out", seed=2).get_config()
    assert Init.glorot_uniform is Init.GlorotUniform and "seed=2" in repr(clone)


def test_regularizers_and_constraints_in_a_training_step():
    R, C = ts.keras.regularizers, ts.keras.constraints
    w = ts.Variable([[3., -4.], [0.5, 1.]])
    with ts.GradientTape() as tape:
        loss = ts.reduce_sum(w) + R.l2(0.1)(w)
    grad = tape.gradient(loss, w).numpy()
    np.testing.assert_allclose(grad, 1 + 0.2 * w.numpy())
    w.assign(C.MaxNorm(2.0)(w))
    assert (np.linalg.norm(w.numpy(), axis=0) <= 2.0 + 1e-6).all()
    assert isinstance(R.get("L2"), R.L2) and isinstance(C.get("non_neg"), C.NonNeg)
    assert R.get(R.serialize(R.L1L2(0.1, 0.2))).get_config() == {"l1": 0.1, "l2": 0.2}
    assert C.get(C.serialize(C.MinMaxNorm(0.5))).get_config()["min_value"] == 0.5
    with pytest.raises(ValueError, match="non-negative"):
        R.L2(-1)
    with pytest.raises(ValueError, match="rank 2"):
        R.OrthogonalRegularizer()(ts.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="Could not interpret"):
        C.get("no_such_constraint")


def test_to_categorical_of_a_tensor_infers_the_classes():
    onehot = ts.keras.utils.to_categorical(ts.constant([0, 2]))
    assert onehot.shape == (2, 3) and onehot.numpy().tolist() == [[1, 0, 0], [0, 0, 1]]


def test_generalized_cross_entropy_and_circle_details():
    with pytest.raises(ValueError, match=r"q must be in the interval \(0, 1\)"):
        L.CategoricalGeneralizedCrossEntropy(q=1.5)
    probs = np.array([[0.7, 0.3], [0.2, 0.8]], np.float32)
    flat = L.categorical_generalized_cross_entropy([0, 1], probs, 0.5).numpy()
    column = L.categorical_generalized_cross_entropy([[0], [1]], probs, 0.5).numpy()
    np.testing.assert_allclose(flat, column)                 # [batch, 1] labels too
    np.testing.assert_allclose(flat, (1 - np.sqrt([0.7, 0.8])) / 0.5, rtol=1e-6)
    # identical embeddings of one class: zero loss everywhere, masked out of the mean
    same = np.tile(np.array([[1., 0.]], np.float32), (3, 1))
    assert float(L.Circle()([1, 1, 1], same)) == 0.0
    with pytest.raises(ValueError, match="max_length"):
        L.ctc(np.zeros((2, 3, 1)), np.zeros((2, 4, 5)))


def test_timeseries_dataset_from_array():
    data = np.arange(20).reshape(10, 2).astype(np.float32)
    ds = ts.keras.utils.timeseries_dataset_from_array(data, np.arange(10) * 10, 3,
                                                       sequence_stride=2, sampling_rate=2,
                                                       batch_size=2)
    batches = [(x.numpy(), y.numpy()) for x, y in ds]
    # windows of rows (0, 2, 4), (2, 4, 6), (4, 6, 8); targets the first row's: as Keras'
    assert [x.shape for x, _ in batches] == [(2, 3, 2), (1, 3, 2)]
    np.testing.assert_array_equal(batches[0][0][1], data[[2, 4, 6]])
    assert [y.tolist() for _, y in batches] == [[0, 20], [40]]
    single = list(ts.keras.utils.timeseries_dataset_from_array(data, None, 4, batch_size=None,
                                                                start_index=2, end_index=8))
    assert len(single) == 3 and single[0].numpy().tolist() == data[2:6].tolist()
    with pytest.raises(ValueError, match="sampling_rate"):
        ts.keras.utils.timeseries_dataset_from_array(data, None, 3, sampling_rate=0)


def test_text_dataset_from_directory(tmp_path):
    for cls, words in (("pos", "great"), ("neg", "bad")):
        (tmp_path / cls).mkdir()
        for i in range(3):
            (tmp_path / cls / f"{i}.txt").write_text(f"{words} film {i}")
    (tmp_path / "neg" / "notes.md").write_text("not a sample")
    ds = ts.keras.utils.text_dataset_from_directory(tmp_path, shuffle=False, batch_size=4,
                                                     verbose=False)
    assert ds.class_names == ["neg", "pos"]                  # sorted folder names
    batches = [(x.numpy().tolist(), y.numpy().tolist()) for x, y in ds]
    assert batches[0] == ([b"bad film 0", b"bad film 1", b"bad film 2", b"great film 0"],
                          [0, 0, 0, 1])
    short = ts.keras.utils.text_dataset_from_directory(
        tmp_path, label_mode="categorical", max_length=3, shuffle=False, batch_size=None,
        verbose=False)
    text, label = next(iter(short))
    assert text.numpy() == b"bad" and label.numpy().tolist() == [1., 0.]
    train, val = ts.keras.utils.text_dataset_from_directory(
        tmp_path, validation_split=0.34, subset="both", seed=3, verbose=False)
    sizes = [sum(int(x.shape[0]) for x, _ in part) for part in (train, val)]
    assert sizes == [4, 2]
    with pytest.raises(ValueError, match="must provide a `seed`"):
        ts.keras.utils.text_dataset_from_directory(tmp_path, validation_split=0.2,
                                                   subset="training")


def test_image_dataset_from_directory(tmp_path):
    rng = np.random.default_rng(0)
    images = {}
    for cls in ("cat", "dog"):
        (tmp_path / cls).mkdir()
        for i in range(2):
            img = rng.integers(0, 255, (6 + i, 9, 3)).astype(np.uint8)
            (tmp_path / cls / f"{i}.png").write_bytes(ts.io.encode_png(img).numpy())
            images[(cls, i)] = img
    ds = ts.keras.utils.image_dataset_from_directory(tmp_path, image_size=(4, 5),
                                                      shuffle=False, batch_size=3,
                                                      verbose=False)
    assert ds.class_names == ["cat", "dog"]
    (x0, y0), (x1, y1) = [(x.numpy(), y.numpy()) for x, y in ds]
    assert x0.shape == (3, 4, 5, 3) and x0.dtype == np.float32 and x1.shape == (1, 4, 5, 3)
    assert y0.tolist() == [0, 0, 1] and y1.tolist() == [1]
    np.testing.assert_allclose(x0[1], ts.image.resize(images[("cat", 1)], (4, 5)).numpy())
    cropped = ts.keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(3, 3), crop_to_aspect_ratio=True, color_mode="grayscale",
        labels=None, shuffle=False, batch_size=None, verbose=False)
    assert [tuple(x.shape) for x in cropped] == [(3, 3, 1)] * 4
    with pytest.raises(ValueError, match="color_mode"):
        ts.keras.utils.image_dataset_from_directory(tmp_path, color_mode="cmyk")
