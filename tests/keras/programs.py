"""Programs over Keras' backend functions, run both with TensorFlow's ``tf.keras.backend``
and with ``ts.keras.backend``: each takes ``(K, lib)`` (the backend and its library) and
returns a list of results. ``record_golden.py`` stores TensorFlow's results in
``backend_golden.npz``, so the comparison runs without TensorFlow too."""

import numpy as np

RNG = np.random.default_rng(12)
X = RNG.standard_normal((3, 4)).astype(np.float32)
Y = RNG.standard_normal((3, 4)).astype(np.float32)
P = RNG.uniform(0.05, 0.95, (3, 4)).astype(np.float32)
T = (RNG.uniform(size=(3, 4)) > 0.5).astype(np.float32)
IMG = RNG.standard_normal((2, 5, 6, 3)).astype(np.float32)
VOL = RNG.standard_normal((2, 4, 5, 3, 2)).astype(np.float32)
SEQ = RNG.standard_normal((2, 7, 3)).astype(np.float32)
W1 = RNG.standard_normal((3, 3, 4)).astype(np.float32)
W2 = RNG.standard_normal((3, 2, 3, 4)).astype(np.float32)
W3 = RNG.standard_normal((2, 2, 2, 2, 3)).astype(np.float32)
WT = RNG.standard_normal((3, 3, 4, 3)).astype(np.float32)
DW = RNG.standard_normal((3, 3, 3, 2)).astype(np.float32)
PW = RNG.standard_normal((1, 1, 6, 4)).astype(np.float32)
LOGITS = RNG.standard_normal((4, 5)).astype(np.float32)
ONEHOT = np.eye(5, dtype=np.float32)[[1, 0, 4, 2]]
LABELS = np.array([1, 0, 4, 2], np.int32)
RNN_X = RNG.standard_normal((2, 4, 3)).astype(np.float32)
RNN_W = RNG.standard_normal((3, 2)).astype(np.float32)
RNN_U = RNG.standard_normal((2, 2)).astype(np.float32)
MASK = np.array([[1, 1, 0, 1], [1, 0, 0, 0]], bool)


def _grads(lib, fn, *arrays):
    """fn's value and its gradients with respect to ``arrays``."""
    xs = [lib.constant(a) for a in arrays]
    with lib.GradientTape() as tape:
        tape.watch(xs)
        y = fn(*xs)
        loss = lib.reduce_sum(y * y)
    return [y] + tape.gradient(loss, xs)


def _elementwise(name, *args):
    return lambda K, lib: _grads(lib, lambda x: getattr(K, name)(x, *args), X)


def _binary(name):
    return lambda K, lib: [getattr(K, name)(lib.constant(X), lib.constant(Y))]


def _reduce(name, **kw):
    return lambda K, lib: _grads(lib, lambda x: getattr(K, name)(x, **kw), X)


def _rnn(**kw):
    def program(K, lib):
        def step(x, states):
            h = K.tanh(K.dot(x, lib.constant(RNN_W)) + K.dot(states[0], lib.constant(RNN_U)))
            return h, [h]
        if "mask" in kw:
            kw["mask"] = lib.constant(kw["mask"])
        if "input_length" in kw:
            kw["input_length"] = lib.constant(kw["input_length"])
        last, outputs, states = K.rnn(step, lib.constant(RNN_X), [lib.zeros((2, 2))], **kw)
        return [last, outputs] + list(states)
    return program


def _conv(fn):
    return lambda K, lib: _grads(lib, lambda x, w: fn(K, x, w), *fn.arrays)


def _arrays(*arrays):
    def mark(fn):
        fn.arrays = arrays
        return fn
    return mark


PROGRAMS = {
    # the public names: tf.keras.backend's (TensorFlow 2.21) against ts.keras.backend.__all__
    "names": lambda K, lib: [np.array(sorted(getattr(K, "__all__", None) or [
        n for n in dir(K) if not n.startswith("_")]))],
    "chapter": lambda K, lib: [K.square(K.transpose(lib.constant([[1., 2., 3.],
                                                                 [4., 5., 6.]]))) + 10],
    **{f"elementwise {n}": _elementwise(n) for n in (
        "abs", "square", "sqrt", "exp", "sin", "cos", "tanh", "sigmoid", "hard_sigmoid",
        "softplus", "softsign", "round", "sign")},
    "elementwise log": lambda K, lib: _grads(lib, K.log, P),
    "elementwise pow": _elementwise("pow", 3.0),
    **{f"compare {n}": _binary(n) for n in ("equal", "not_equal", "greater", "greater_equal",
                                            "less", "less_equal", "maximum", "minimum")},
    "clip": lambda K, lib: [K.clip(lib.constant(X), -0.5, 0.5), K.clip(lib.constant(X), None,
                                                                      0.3),
                            K.clip(lib.constant(X), 0.5, 0.2)],
    **{f"reduce {n} {i}": _reduce(n, **kw) for n in ("sum", "prod", "mean", "std", "var",
                                                      "max", "min")
       for i, kw in enumerate([{}, {"axis": 1}, {"axis": 0, "keepdims": True}])},
    "reduce bools": lambda K, lib: [K.mean(lib.constant(X) > 0), K.std(lib.constant(X) > 0, 1),
                                    K.var(lib.constant(X) > 0), K.all(lib.constant(X) > -1, 1),
                                    K.any(lib.constant(T), 0, True), K.all(lib.constant(T))],
    "argmax argmin": lambda K, lib: [K.argmax(lib.constant(X)), K.argmin(lib.constant(X), 0)],
    "cumulative": lambda K, lib: [K.cumsum(lib.constant(X)), K.cumprod(lib.constant(X), 1)],
    "l2_normalize": lambda K, lib: [K.l2_normalize(lib.constant(X)),
                                    K.l2_normalize(lib.constant(X), 1)],
    "in_top_k": lambda K, lib: [K.in_top_k(lib.constant(LOGITS), lib.constant(LABELS), 2)],
    "shapes": lambda K, lib: [
        K.reshape(lib.constant(X), (2, 6)), K.flatten(lib.constant(X)),
        K.batch_flatten(lib.constant(IMG)), K.expand_dims(lib.constant(X)),
        K.expand_dims(lib.constant(X), 0), K.squeeze(lib.constant(X[None]), 0),
        K.stack([lib.constant(X), lib.constant(Y)]), K.stack([lib.constant(X)] * 2, 1),
        K.concatenate([lib.constant(X), lib.constant(Y)]),
        K.concatenate([lib.constant(X), lib.constant(Y)], axis=0),
        K.transpose(lib.constant(X)), K.permute_dimensions(lib.constant(IMG), (0, 3, 1, 2)),
        K.reverse(lib.constant(X), 1), K.reverse(lib.constant(X), [0, 1]),
        K.tile(lib.constant(X[0]), 2), K.tile(lib.constant(X), [2, 1]),
        K.repeat(lib.constant(X), 3), K.repeat_elements(lib.constant(X), 2, 1),
        K.repeat_elements(lib.constant(IMG), 3, -1), K.gather(lib.constant(X), [2, 0]),
        K.one_hot(lib.constant([0, 3, 1]), 4)],
    "arange": lambda K, lib: [K.arange(5), K.arange(-3), K.arange(2, 10, 3),
                              K.arange(4, dtype="float32"), K.arange(1, 4, dtype="int64")],
    "padding": lambda K, lib: [
        K.temporal_padding(lib.constant(SEQ)), K.temporal_padding(lib.constant(SEQ), (0, 2)),
        K.spatial_2d_padding(lib.constant(IMG)),
        K.spatial_2d_padding(lib.constant(IMG), ((1, 0), (0, 2)), "channels_first"),
        K.spatial_3d_padding(lib.constant(VOL)),
        K.spatial_3d_padding(lib.constant(VOL), ((0, 1), (1, 0), (2, 0)), "channels_first")],
    "resize": lambda K, lib: [
        K.resize_images(lib.constant(IMG), 2, 3, "channels_last"),
        K.resize_images(lib.constant(IMG), 2, 2, "channels_first"),
        K.resize_images(lib.constant(IMG), 2, 2, "channels_last", interpolation="bilinear"),
        K.resize_images(lib.constant(IMG), 3, 2, "channels_first", interpolation="bicubic"),
        K.resize_images(lib.constant(IMG), 2, 1, "channels_last", interpolation="lanczos3"),
        K.resize_images(lib.constant(IMG), 2, 2, "channels_last", interpolation="area"),
        K.resize_volumes(lib.constant(VOL), 2, 1, 2, "channels_last"),
        K.resize_volumes(lib.constant(VOL), 1, 2, 2, "channels_first")],
    "switch": lambda K, lib: [
        K.switch(lib.constant(True), lambda: lib.constant(X), lambda: lib.constant(Y)),
        K.switch(lib.constant(0.0), lib.constant(X), lib.constant(Y)),
        K.switch(lib.constant(X) > 0, lib.constant(X), lib.constant(Y)),
        K.switch(lib.constant([True, False, True, False]), lib.constant(X), lib.constant(Y)),
        K.switch(lib.constant(X[:, :2] > 0), lib.constant(np.stack([X[:, :2]] * 3, -1)),
                 lib.constant(np.zeros((3, 2, 3), np.float32)))],
    "dot": lambda K, lib: [
        K.dot(lib.constant(X), lib.constant(Y.T)),
        K.dot(lib.constant(IMG[0, :2]), lib.constant(RNG_W_DOT)),
        K.dot(lib.constant(X), lib.constant(RNG_W_DOT.transpose(0, 2, 1)))],
    "batch_dot": lambda K, lib: [
        K.batch_dot(lib.constant(np.ones((32, 20, 1), np.float32)),
                    lib.constant(np.ones((32, 30, 20), np.float32)), axes=(1, 2)),
        K.batch_dot(lib.constant(X), lib.constant(Y)),
        K.batch_dot(lib.constant(X), lib.constant(Y), axes=1),
        K.batch_dot(lib.constant(IMG), lib.constant(IMG), axes=(1, 1)),
        K.batch_dot(lib.constant(IMG), lib.constant(X[:2, :3])),
        K.batch_dot(lib.constant(SEQ), lib.constant(IMG[:, :, :3]), axes=(2, 3)),
        K.batch_dot(lib.constant(X[:2]), lib.constant(IMG[:, :4]), axes=(1, 1))],
    "relu": lambda K, lib: [K.relu(lib.constant(X * 4)), K.relu(lib.constant(X * 4), 0.1),
                            K.relu(lib.constant(X * 4), max_value=6),
                            K.relu(lib.constant(X * 4), max_value=2.5),
                            K.relu(lib.constant(X * 4), threshold=0.5),
                            K.relu(lib.constant(X * 4), 0.2, 3.0, 0.5),
                            K.relu(lib.constant(X * 4), 0.3, None, -0.5)],
    "elu softmax": lambda K, lib: [
        K.elu(lib.constant(X)), K.elu(lib.constant(X), 0.5), K.softmax(lib.constant(X)),
        K.softmax(lib.constant(X), 0), K.softmax(lib.constant(IMG), (1, 2))],
    "bias_add": lambda K, lib: [
        K.bias_add(lib.constant(IMG), lib.constant(X[0, :3])),
        K.bias_add(lib.constant(IMG), lib.constant(LOGITS[0]), "channels_first"),
        K.bias_add(lib.constant(IMG), lib.constant(IMG[0])),
        K.bias_add(lib.constant(IMG), lib.constant(IMG[0].transpose(1, 2, 0)),
                   "channels_first"),
        K.bias_add(lib.constant(X), lib.constant(Y[0]))],
    "batch_normalization": lambda K, lib: [K.batch_normalization(
        lib.constant(X), lib.constant(Y[0]), lib.constant(P[0]), lib.constant(Y[1]),
        lib.constant(P[1]))],
    "binary_crossentropy": lambda K, lib: [
        K.binary_crossentropy(lib.constant(T), lib.constant(P)),
        K.binary_crossentropy(lib.constant(T), lib.constant(X), from_logits=True),
        K.binary_focal_crossentropy(lib.constant(T), lib.constant(P)),
        K.binary_focal_crossentropy(lib.constant(T), lib.constant(X), True, 0.4, 1.5, True)]
    + _grads(lib, lambda p: K.binary_crossentropy(lib.constant(T), p), P)[1:],
    "categorical_crossentropy": lambda K, lib: [
        K.categorical_crossentropy(lib.constant(ONEHOT), K.softmax(lib.constant(LOGITS))),
        K.categorical_crossentropy(lib.constant(ONEHOT), lib.constant(LOGITS), True),
        K.categorical_crossentropy(lib.constant(ONEHOT.T), lib.constant(ONEHOT.T * 0.5 + 0.1),
                                   axis=0),
        K.categorical_focal_crossentropy(lib.constant(ONEHOT), K.softmax(lib.constant(LOGITS))),
        K.categorical_focal_crossentropy(lib.constant(ONEHOT), lib.constant(LOGITS), 0.3, 1.0,
                                         True)]
    + _grads(lib, lambda z: K.categorical_crossentropy(lib.constant(ONEHOT), z, True),
             LOGITS)[1:],
    "sparse_categorical_crossentropy": lambda K, lib: [
        K.sparse_categorical_crossentropy(lib.constant(LABELS), K.softmax(lib.constant(LOGITS))),
        K.sparse_categorical_crossentropy(lib.constant(LABELS), lib.constant(LOGITS), True),
        K.sparse_categorical_crossentropy(lib.constant(LABELS[:, None]),
                                          lib.constant(LOGITS), True),
        K.sparse_categorical_crossentropy(lib.constant(LABELS[:3]),
                                          lib.constant(LOGITS.T[:, :3]), True, axis=0),
        K.sparse_categorical_crossentropy(lib.constant(np.array([[1, 4], [0, 2]], np.int32)),
                                          lib.constant(LOGITS.reshape(2, 2, 5)), True),
        K.sparse_categorical_crossentropy(lib.constant(LABELS), lib.constant(LOGITS), True,
                                          ignore_class=0)],
    "conv1d": _conv(_arrays(SEQ, W1)(lambda K, x, w: K.conv1d(x, w))),
    "conv1d same strided": _conv(_arrays(SEQ, W1)(lambda K, x, w: K.conv1d(x, w, 2, "same"))),
    "conv1d causal dilated": _conv(_arrays(SEQ, W1)(
        lambda K, x, w: K.conv1d(x, w, padding="causal", dilation_rate=2))),
    "conv2d": _conv(_arrays(IMG, W2)(lambda K, x, w: K.conv2d(x, w, (1, 2), "same"))),
    "conv2d dilated": _conv(_arrays(IMG, W2)(
        lambda K, x, w: K.conv2d(x, w, dilation_rate=(1, 2)))),
    "conv3d": _conv(_arrays(VOL[..., :1].repeat(2, -1), W3)(
        lambda K, x, w: K.conv3d(x, w, (1, 2, 1), "same"))),
    "conv2d_transpose": _conv(_arrays(IMG, WT)(lambda K, x, w: K.conv2d_transpose(
        x, w, (2, 10, 12, 4), (2, 2), "same"))),
    "conv2d_transpose valid none batch": _conv(_arrays(IMG, WT)(
        lambda K, x, w: K.conv2d_transpose(x, w, (None, 7, 8, 4)))),
    "conv2d_transpose dilated": _conv(_arrays(IMG, WT)(lambda K, x, w: K.conv2d_transpose(
        x, w, (2, 5, 6, 4), padding="same", dilation_rate=(2, 2)))),
    "depthwise_conv2d": _conv(_arrays(IMG, DW)(
        lambda K, x, w: K.depthwise_conv2d(x, w, (2, 2), "same"))),
    "separable_conv2d": _conv(_arrays(IMG, DW)(
        lambda K, x, w: K.separable_conv2d(x, w, K.constant(PW), padding="same"))),
    "pool2d": lambda K, lib: [
        K.pool2d(lib.constant(IMG), (2, 2)), K.pool2d(lib.constant(IMG), (3, 2), (2, 2), "same",
                                                      pool_mode="avg"),
        K.pool3d(lib.constant(VOL), (2, 2, 2), (1, 2, 1)),
        K.pool3d(lib.constant(VOL), (2, 2, 1), padding="same", pool_mode="avg")],
    "random": lambda K, lib: [
        K.random_normal((3, 4), seed=5), K.random_normal((2,), 1.0, 2.0, "float64", seed=3),
        K.random_uniform((3, 4), seed=5), K.random_uniform((5,), -2.0, 3.0, seed=9),
        K.truncated_normal((3, 4), seed=5), K.random_bernoulli((3, 4), 0.3, seed=7),
        K.random_normal_variable((2, 3), 0.5, 2.0, seed=11),
        K.random_uniform_variable((2, 3), -1.0, 1.0, seed=11)],
    "variables": lambda K, lib: _variables(K, lib),
    "dtypes": lambda K, lib: [
        np.array([K.result_type("int32", float), K.result_type("int8", "uint8"),
                  K.result_type("float16", int), K.result_type(int, float),
                  K.result_type("bool", "int32"), K.result_type("uint64", "int8"),
                  K.result_type("float32", "float64"), K.result_type(),
                  K.standardize_dtype(lib.float64), K.standardize_dtype(np.int16),
                  K.standardize_dtype(None), K.standardize_dtype(int),
                  K.standardize_dtype("float32")]),
        np.array([K.is_float_dtype("bfloat16"), K.is_float_dtype(lib.int32),
                  K.is_int_dtype("uint8"), K.is_int_dtype(float)])],
    "rnn": _rnn(),
    "rnn mask": _rnn(mask=MASK),
    "rnn mask zero output": _rnn(mask=MASK, zero_output_for_mask=True),
    "rnn mask backwards": _rnn(mask=MASK, go_backwards=True),
    "rnn unroll mask": _rnn(mask=MASK, unroll=True),
    "rnn last output only": _rnn(return_all_outputs=False),
    "rnn input_length": _rnn(input_length=np.array([4, 2], np.int32)),
    "rnn input_length backwards": _rnn(input_length=np.array([3, 2], np.int32),
                                       go_backwards=True),
    "rnn input_length last only": _rnn(input_length=np.array([3, 1], np.int32),
                                       return_all_outputs=False),
    "rnn unroll input_length": _rnn(input_length=np.array([2, 1], np.int32), unroll=True),
    "rnn mask input_length": _rnn(mask=MASK, input_length=np.array([3, 3], np.int32)),
    "ctc": lambda K, lib: _ctc(K, lib),
    "loss functions": lambda K, lib: _loss_functions(lib),
    "loss classes": lambda K, lib: _loss_classes(lib),
    "metrics": lambda K, lib: _metrics(lib),
    "curve, IoU, F-score and R2 metrics": lambda K, lib: _more_metrics(lib),
    "ctc, circle and generalized cross-entropy losses": lambda K, lib: _more_losses(lib),
    "activations": lambda K, lib: _activations(lib),
    "initializers": lambda K, lib: _initializers(lib),
    "regularizers and constraints": lambda K, lib: _regularizers_and_constraints(lib),
    "utils": lambda K, lib: _utils(lib),
    "higher order": lambda K, lib: [
        K.map_fn(lambda r: r * 2, lib.constant(X)),
        K.foldl(lambda a, r: a + r, lib.constant(X)),
        K.foldr(lambda a, r: a * 0.5 + r, lib.constant(X), lib.constant(Y[0]))],
}

RNG_W_DOT = RNG.standard_normal((2, 3, 4)).astype(np.float32)


def _variables(K, lib):
    v = K.variable([[1, 2], [3, 4]])
    out = [v, K.constant([1, 2]), K.constant(3, "int32", (2, 2)), K.zeros((2, 3)),
           K.ones((2,), "float64"), K.zeros((0, 2)), K.eye(3), K.zeros_like(v),
           K.ones_like(v, "int32"), K.cast_to_floatx([1, 2]), K.cast_to_floatx(lib.constant(
               [1, 2])), K.cast(v, "int64")]
    out.append(np.array([isinstance(K.zeros((2, 3)), lib.Variable),
                         isinstance(K.zeros((0, 2)), lib.Variable),
                         isinstance(K.eye(2), lib.Variable), K.is_sparse(v),
                         K.is_keras_tensor(v)]))
    out += [np.array(K.int_shape(K.zeros((2, 3)))), np.array(K.ndim(v)),
            np.array(K.dtype(v)), np.array(K.count_params(K.zeros((2, 3)))), K.shape(v),
            K.get_value(v), K.eval(v * 2), np.array(K.batch_get_value([v, v])),
            np.array(K.get_value(5))]
    K.update(v, lib.constant([[0., 1.], [2., 3.]]))
    out.append(v.numpy())
    K.update_add(v, lib.constant([[1., 1.], [1., 1.]]))
    out.append(v.numpy())
    K.update_sub(v, lib.constant([[0.5, 0.5], [0.5, 0.5]]))
    out.append(v.numpy())
    K.moving_average_update(v, lib.constant([[10., 10.], [10., 10.]]), 0.9)
    out.append(v.numpy())
    K.set_value(v, np.array([[7, 8], [9, 10]]))
    out.append(v.numpy())
    w = K.variable(np.zeros(3), dtype="float64")
    K.batch_set_value([(v, [[1, 1], [1, 1]]), (w, [1, 2, 3])])
    out += [v.numpy(), w.numpy()]
    return out


CTC_PRED = RNG.uniform(size=(3, 10, 5)).astype(np.float32)
CTC_PRED /= CTC_PRED.sum(-1, keepdims=True)
CTC_TRUE = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [0, 0, 0, 0]], np.float32)


def _ctc(K, lib):
    input_length, label_length = lib.constant([[10], [8], [6]]), lib.constant([[3], [2], [1]])
    sparse = K.ctc_label_dense_to_sparse(lib.constant(CTC_TRUE.astype(np.int32)),
                                         lib.constant([3, 2, 1]))
    greedy, greedy_lp = K.ctc_decode(lib.constant(CTC_PRED), lib.constant([10, 8, 6]))
    beams, beam_lp = K.ctc_decode(lib.constant(CTC_PRED), lib.constant([10, 8, 6]),
                                  greedy=False, beam_width=5, top_paths=2)
    pred = lib.constant(CTC_PRED)
    with lib.GradientTape() as tape:
        tape.watch(pred)
        cost = K.ctc_batch_cost(lib.constant(CTC_TRUE), pred, input_length, label_length)
        total = lib.reduce_sum(cost)
    return [cost, tape.gradient(total, pred), sparse.indices, sparse.values,
            sparse.dense_shape, *greedy, greedy_lp, *beams, beam_lp]


ONEHOT6 = np.eye(3, dtype=np.float32)[[0, 2, 1, 1, 0, 2]]
LABELS6 = np.array([0, 2, 1, 1, 0, 2])
HARD6 = (RNG.uniform(size=(6, 3)) > 0.5).astype(np.float32)
SOFT6 = RNG.uniform(0.05, 0.95, (6, 3)).astype(np.float32)
TRUE6 = RNG.uniform(0, 1, (6, 3)).astype(np.float32)
LOGITS6 = RNG.standard_normal((6, 3)).astype(np.float32)
WEIGHTS6 = np.array([1., 0.5, 2., 0., 1., 1.], np.float32)


def _loss_functions(lib):
    L = lib.keras.losses
    out = [f(TRUE6, SOFT6) for f in (L.mse, L.mae, L.mape, L.msle, L.cosine_similarity,
                                      L.huber, L.logcosh, L.kld, L.poisson, L.dice, L.tversky)]
    out += [f(HARD6, LOGITS6) for f in (L.hinge, L.squared_hinge, L.categorical_hinge)]
    out += [L.binary_crossentropy(HARD6, SOFT6), L.binary_crossentropy(HARD6, LOGITS6, True,
                                                                        0.1),
            L.binary_focal_crossentropy(HARD6, SOFT6, True, 0.3, 1.5),
            L.categorical_crossentropy(ONEHOT6, SOFT6, label_smoothing=0.2),
            L.categorical_crossentropy(ONEHOT6, LOGITS6, from_logits=True),
            L.categorical_focal_crossentropy(ONEHOT6, LOGITS6, from_logits=True),
            L.sparse_categorical_crossentropy(LABELS6, SOFT6),
            L.sparse_categorical_crossentropy(LABELS6[:, None], LOGITS6, from_logits=True),
            L.sparse_categorical_crossentropy(LABELS6, LOGITS6, from_logits=True,
                                              ignore_class=1)]
    pred = lib.constant(SOFT6)
    with lib.GradientTape() as tape:
        tape.watch(pred)
        total = lib.reduce_sum(L.categorical_crossentropy(ONEHOT6, pred)) + \
            lib.reduce_sum(L.huber(TRUE6, pred, 0.2))
    return out + [tape.gradient(total, pred)]


def _loss_classes(lib):
    L = lib.keras.losses
    out = []
    for make, y_true, y_pred in [
            (lambda: L.MeanSquaredError(), TRUE6, SOFT6),
            (lambda: L.MeanSquaredError(reduction="sum"), TRUE6, SOFT6),
            (lambda: L.MeanSquaredError(reduction="none"), TRUE6, SOFT6),
            (lambda: L.MeanSquaredError(reduction="mean_with_sample_weight"), TRUE6, SOFT6),
            (lambda: L.Huber(0.3), TRUE6, SOFT6),
            (lambda: L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), HARD6,
             LOGITS6),
            (lambda: L.CategoricalCrossentropy(label_smoothing=0.2), ONEHOT6, SOFT6),
            (lambda: L.SparseCategoricalCrossentropy(from_logits=True), LABELS6, LOGITS6),
            (lambda: L.SparseCategoricalCrossentropy(True, ignore_class=2), LABELS6, LOGITS6),
            (lambda: L.CategoricalFocalCrossentropy(from_logits=True), ONEHOT6, LOGITS6),
            (lambda: L.BinaryFocalCrossentropy(apply_class_balancing=True), HARD6, SOFT6),
            (lambda: L.Dice(), TRUE6, SOFT6), (lambda: L.Tversky(0.3, 0.7), TRUE6, SOFT6),
            (lambda: L.KLDivergence(), TRUE6, SOFT6), (lambda: L.Hinge(), HARD6, LOGITS6),
            (lambda: L.LogCosh(), TRUE6, SOFT6), (lambda: L.Poisson(), TRUE6, SOFT6)]:
        loss = make()
        out += [loss(y_true, y_pred), loss(y_true, y_pred, sample_weight=WEIGHTS6),
                np.array(loss.name)]
    return out


def _metrics(lib):
    M = lib.keras.metrics
    out = []
    for make, batches in [
            (lambda: M.Mean(), [(TRUE6[:, 0],), (SOFT6,)]), (lambda: M.Sum(), [(TRUE6,)]),
            (lambda: M.MeanSquaredError(), [(TRUE6, SOFT6), (SOFT6, TRUE6)]),
            (lambda: M.RootMeanSquaredError(), [(TRUE6, SOFT6), (SOFT6, TRUE6)]),
            (lambda: M.MeanAbsoluteError(), [(TRUE6, SOFT6)]),
            (lambda: M.Accuracy(), [(LABELS6, np.array([0, 2, 2, 1, 1, 2]))]),
            (lambda: M.BinaryAccuracy(threshold=0.7), [(HARD6, SOFT6)]),
            (lambda: M.CategoricalAccuracy(), [(ONEHOT6, SOFT6)]),
            (lambda: M.SparseCategoricalAccuracy(), [(LABELS6, SOFT6), (LABELS6[:, None],
                                                                         LOGITS6)]),
            (lambda: M.TopKCategoricalAccuracy(k=2), [(ONEHOT6, SOFT6)]),
            (lambda: M.SparseTopKCategoricalAccuracy(k=2), [(LABELS6, SOFT6)]),
            (lambda: M.CosineSimilarity(), [(TRUE6, SOFT6)]),
            (lambda: M.CategoricalCrossentropy(label_smoothing=0.1), [(ONEHOT6, SOFT6)]),
            (lambda: M.Precision(name="p"), [(HARD6, SOFT6), (HARD6[::-1], SOFT6)]),
            (lambda: M.Recall(thresholds=[0.2, 0.5, 0.8], name="r"), [(HARD6, SOFT6)]),
            (lambda: M.Recall(top_k=1, name="rk"), [(HARD6, SOFT6)]),
            (lambda: M.Precision(class_id=1, name="pc"), [(HARD6, SOFT6)]),
            (lambda: M.FalsePositives(thresholds=[0.3, 0.6], name="fp"), [(HARD6, SOFT6)])]:
        for weights in (None, WEIGHTS6):
            metric = make()
            for batch in batches:       # read at once: Keras' counters return their Variable
                out.append(np.array(metric(*batch, sample_weight=weights if len(batch[0]) == 6
                                           else None)))
            metric.reset_state()
            out += [np.array(metric.result()), np.array(metric.name)]
    A = lib.keras.metrics
    return out + [A.binary_accuracy(HARD6, SOFT6), A.categorical_accuracy(ONEHOT6, SOFT6),
                  A.sparse_categorical_accuracy(LABELS6[:, None], SOFT6),
                  A.top_k_categorical_accuracy(ONEHOT6, SOFT6, 2),
                  A.sparse_top_k_categorical_accuracy(LABELS6, SOFT6, 2)]


_CURVE_RNG = np.random.default_rng(3)
CURVE_TRUE = _CURVE_RNG.integers(0, 2, 200).astype(np.float32)
CURVE_PRED = np.clip(CURVE_TRUE * 0.3 + _CURVE_RNG.uniform(0, 0.7, 200), 0, 1) \
    .astype(np.float32)
CURVE_W = _CURVE_RNG.uniform(0, 2, 200).astype(np.float32)
MULTI_TRUE = _CURVE_RNG.integers(0, 2, (50, 3)).astype(np.float32)
MULTI_PRED = _CURVE_RNG.uniform(0, 1, (50, 3)).astype(np.float32)
CLASSES_TRUE = _CURVE_RNG.integers(0, 4, 30)
CLASSES_PRED = np.where(_CURVE_RNG.uniform(size=30) < 0.6, CLASSES_TRUE,
                        _CURVE_RNG.integers(0, 4, 30))


def _more_metrics(lib):
    M = lib.keras.metrics
    t, p, w = CURVE_TRUE, CURVE_PRED, CURVE_W
    out = []
    for make, batches in [
            (lambda: M.AUC(), [(t[:100], p[:100]), (t[100:], p[100:])]),
            (lambda: M.AUC(num_thresholds=50), [(t, p, w)]),
            (lambda: M.AUC(curve="PR"), [(t, p)]),
            (lambda: M.AUC(curve="PR", summation_method="minoring"), [(t, p)]),
            (lambda: M.AUC(summation_method="majoring", thresholds=[0.1, 0.5, 0.8]),
             [(t, p)]),
            (lambda: M.AUC(from_logits=True), [(t, (p - 0.5) * 4)]),
            (lambda: M.AUC(multi_label=True), [(MULTI_TRUE, MULTI_PRED)]),
            (lambda: M.AUC(multi_label=True, num_labels=3, label_weights=[1., 2., .5],
                           curve="PR"), [(MULTI_TRUE, MULTI_PRED)]),
            (lambda: M.SensitivityAtSpecificity(0.7), [(t, p)]),
            (lambda: M.SpecificityAtSensitivity(0.8, num_thresholds=37), [(t, p, w)]),
            (lambda: M.PrecisionAtRecall(0.9), [(t, p)]),
            (lambda: M.RecallAtPrecision(0.8), [(t, p)]),
            (lambda: M.RecallAtPrecision(0.3, class_id=1), [(MULTI_TRUE, MULTI_PRED)]),
            (lambda: M.IoU(4, [0, 2]), [(CLASSES_TRUE, CLASSES_PRED)]),
            (lambda: M.MeanIoU(4), [(CLASSES_TRUE, CLASSES_PRED, w[:30])]),
            (lambda: M.MeanIoU(3, ignore_class=2), [(np.array([[0, 0, 1], [1, 2, 2]]),
                                                      np.array([[0, 1, 1], [1, 0, 2]]))]),
            (lambda: M.BinaryIoU(threshold=0.4), [(t, p)]),
            (lambda: M.BinaryIoU(target_class_ids=[1]), [(t, p)]),
            (lambda: M.OneHotIoU(4, [0, 2]), [(np.eye(4)[CLASSES_TRUE],
                                               np.eye(4)[CLASSES_PRED] * 0.9)]),
            (lambda: M.OneHotMeanIoU(4), [(np.eye(4)[CLASSES_TRUE],
                                           np.eye(4)[CLASSES_PRED] * 0.9)]),
            (lambda: M.F1Score(), [(MULTI_TRUE, MULTI_PRED)]),
            (lambda: M.F1Score(average="micro", threshold=0.5), [(MULTI_TRUE, MULTI_PRED)]),
            (lambda: M.F1Score(average="macro"), [(MULTI_TRUE[:20], MULTI_PRED[:20]),
                                                  (MULTI_TRUE[20:], MULTI_PRED[20:])]),
            (lambda: M.FBetaScore(average="weighted", beta=2.0, threshold=0.3),
             [(MULTI_TRUE, MULTI_PRED, w[:50])]),
            (lambda: M.R2Score(), [(MULTI_PRED, MULTI_PRED * 0.9 + 0.05)]),
            (lambda: M.R2Score(class_aggregation="variance_weighted_average",
                               num_regressors=2), [(MULTI_PRED, MULTI_PRED * 0.8)]),
            (lambda: M.R2Score(class_aggregation=None), [(MULTI_PRED, MULTI_PRED + 0.1,
                                                          w[:50])]),
            (lambda: M.PearsonCorrelation(), [(MULTI_TRUE + MULTI_PRED, MULTI_PRED)]),
            (lambda: M.ConcordanceCorrelation(axis=0), [(MULTI_TRUE + MULTI_PRED, MULTI_PRED,
                                                         w[:3])])]:
        metric = make()
        for batch in batches:
            metric.update_state(*batch)
        out.append(np.array(metric.result()))
    return out + [M.pearson_correlation(MULTI_TRUE + MULTI_PRED, MULTI_PRED),
                  M.concordance_correlation(MULTI_TRUE + MULTI_PRED, MULTI_PRED, axis=0)]

CTC_LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], np.int32)
CTC_LOGITS = _CURVE_RNG.normal(size=(2, 6, 5)).astype(np.float32)
EMBED = _CURVE_RNG.normal(size=(8, 4)).astype(np.float32)
EMBED /= np.linalg.norm(EMBED, axis=1, keepdims=True)
EMBED_LABELS = np.array([0, 1, 0, 2, 1, 1, 3, 0])
GCE_PROBS = _CURVE_RNG.dirichlet(np.ones(4), 5).astype(np.float32)
GCE_LABELS = np.array([0, 3, 1, 1, 2])


def _more_losses(lib):
    L = lib.keras.losses
    e, y = EMBED, EMBED_LABELS
    return [L.ctc(CTC_LABELS, CTC_LOGITS), L.CTC()(CTC_LABELS, CTC_LOGITS),
            L.CTC(reduction="sum")(CTC_LABELS, CTC_LOGITS, sample_weight=[0.5, 2.]),
            L.circle(y, e), L.circle(y, e, remove_diagonal=False, gamma=10, margin=0.2),
            L.circle(y[:3], e[:3], ref_labels=y, ref_embeddings=e), L.Circle()(y, e),
            L.Circle(gamma=1.0)(y, e),
            L.categorical_generalized_cross_entropy(GCE_LABELS, GCE_PROBS, 0.7),
            L.CategoricalGeneralizedCrossEntropy()(GCE_LABELS, GCE_PROBS),
            L.CategoricalGeneralizedCrossEntropy(q=0.2, reduction="sum")(
                GCE_LABELS, GCE_PROBS, sample_weight=np.arange(5.))]

def _activations(lib):
    A = lib.keras.activations
    x = lib.constant(LOGITS6 * 2)
    names = ["celu", "elu", "exponential", "gelu", "hard_shrink", "hard_sigmoid",
             "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid",
             "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "soft_shrink",
             "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
             "squareplus", "swish", "tanh", "tanh_shrink"]
    return [A.get(n)(x) for n in names] + [
        A.relu(x, 0.1, 3.0, 0.5), A.gelu(x, approximate=True), A.softmax(x, axis=0),
        A.elu(x, 0.5), A.threshold(x, 0.3, -1.0), A.glu(lib.constant(LOGITS6[:, :2]))]


def _initializers(lib):
    Init = lib.keras.initializers
    out = []
    for name in ("GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal",
                 "LecunUniform", "RandomNormal", "RandomUniform", "TruncatedNormal",
                 "Orthogonal"):
        for shape, seed in [((3, 4), 0), ((2, 3, 4, 6), 42), ((5, 2), 2 ** 40 + 3)]:
            out.append(getattr(Init, name)(seed=seed)(shape))
        out.append(getattr(Init, name)(seed=7)((3, 3), dtype="float64"))
    out += [Init.VarianceScaling(0.5, "fan_out", "uniform", seed=3)((4, 5)),
            Init.VarianceScaling(2.0, "fan_avg", "untruncated_normal", seed=3)((4, 5)),
            Init.Constant(3.0)((2, 2)), Init.Identity(2.0)((2, 3)), Init.Zeros()((2,)),
            Init.Ones()((2,)),
            Init.get("he_normal").__class__.__name__ == "HeNormal"]
    return out


def _regularizers_and_constraints(lib):
    R, C = lib.keras.regularizers, lib.keras.constraints
    w = lib.constant(LOGITS6)
    return [R.l1(0.1)(w), R.l2(0.2)(w), R.l1_l2(0.1, 0.3)(w), R.L1L2(l2=0.5)(w),
            R.OrthogonalRegularizer(0.3)(w), R.OrthogonalRegularizer(0.3, "columns")(w),
            C.MaxNorm(1.5)(w), C.MaxNorm(1.0, axis=1)(w), C.NonNeg()(w), C.UnitNorm()(w),
            C.UnitNorm(axis=1)(w), C.MinMaxNorm(0.5, 1.2, 0.7)(w),
            C.MinMaxNorm(0.1, 0.8, axis=1)(w)]


def _utils(lib):
    U = lib.keras.utils
    sequences = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]
    out = [U.to_categorical([0, 2, 1, 2]), U.to_categorical([[1], [0]], 4),
           U.to_categorical(lib.constant([[1], [3]]), 5),
           U.normalize(np.array([[3., 4.], [0., 0.]])), U.normalize(lib.constant(LOGITS6)),
           U.normalize(np.array([[1., 2., 2.]]), order=1)]
    for kw in ({}, {"maxlen": 3}, {"padding": "post", "truncating": "post", "value": -1},
               {"maxlen": 2, "dtype": "float32"}):
        out.append(U.pad_sequences(sequences, **kw))
    U.set_random_seed(4)
    return out + [np.random.uniform(size=3), lib.random.uniform([3])]
