"""`ts.keras.utils`: the Keras utilities low-level code reaches for - ``set_random_seed``,
``to_categorical``, ``normalize``, ``pad_sequences`` - as Keras 3 has them (NumPy in, NumPy
out; tensors in, tensors out).

Ported from Keras (``keras/src/utils``, Apache License 2.0).
"""

from __future__ import annotations

import random as _python_random

import numpy as np

import tensorshell as tf

from .backend import clear_session, is_keras_tensor, standardize_dtype  # noqa: F401

__all__ = ["clear_session", "is_keras_tensor", "normalize", "pad_sequences",
           "set_random_seed", "standardize_dtype", "to_categorical"]


def set_random_seed(seed):
    """Seed Python's ``random``, NumPy's global generator and tensorshell's
    (``ts.random.set_seed``) at once, for reproducible programs."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError("Expected `seed` argument to be an integer. Received: "
                         f"seed={seed} (of type {type(seed)})")
    _python_random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)


def to_categorical(x, num_classes=None):
    """Class indices as one-hot rows: a NumPy float64 array for array-likes (a tensor for
    tensors); a trailing axis of size 1 is dropped first."""
    if tf.is_tensor(x):
        if x.shape.rank > 1 and x.shape[-1] == 1:
            x = tf.reshape(x, x.shape.as_list()[:-1])
        depth = num_classes if num_classes is not None else int(tf.reduce_max(x)) + 1
        return tf.one_hot(x, depth)
    x = np.array(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    categorical = np.zeros((x.shape[0], num_classes))
    categorical[np.arange(x.shape[0]), x] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """``x`` divided by its ``order``-norm along ``axis`` (zero vectors left as they are)."""
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis or -1)
    x = tf.convert_to_tensor(x)
    norm = tf.norm(x, ord=order, axis=axis, keepdims=True)
    return x / tf.maximum(norm, tf.constant(1e-7, x.dtype))


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Sequences of different lengths as one ``[samples, maxlen, ...]`` NumPy array: cut to
    ``maxlen`` (keeping the end with ``truncating="pre"``) and filled with ``value`` before
    (``padding="pre"``) or after them."""
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape = [], ()
    for x in sequences:
        try:
            lengths.append(len(x))
        except TypeError as e:
            raise ValueError("`sequences` must be a list of iterables. Found non-iterable: "
                             f"{x}") from e
        if len(x) and not sample_shape:
            sample_shape = np.asarray(x).shape[1:]
    maxlen = int(np.max(lengths)) if maxlen is None else maxlen
    is_text = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: "
                         f"{type(value)}\nYou should set `dtype=object` for variable length "
                         "strings.")
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood')
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood')
    out = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for i, s in enumerate(sequences):
        if not len(s) or not maxlen:
            continue
        kept = np.asarray(s[-maxlen:] if truncating == "pre" else s[:maxlen], dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {i} "
                             f"is different from expected shape {sample_shape}")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, -len(kept):] = kept
    return out


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """A ``ts.data.Dataset`` of sliding windows over ``data`` (its first axis is time):
    ``sequence_length`` steps ``sampling_rate`` apart, a new window every
    ``sequence_stride`` steps, each with ``targets[start]`` when targets are given, in
    batches of ``batch_size`` (None: unbatched). As Keras': the same windows, and with
    ``shuffle`` the same window order for the same seed."""
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: "
                             f"start_index={start_index}")
        if start_index >= n:
            raise ValueError(f"`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {n}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= n:
            raise ValueError(f"`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {n}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: "
                             f"end_index={end_index}")
    for label, value in (("sampling_rate", sampling_rate), ("sequence_stride",
                                                              sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{label}` must be higher than 0. Received: {label}={value}")
        if value >= n:
            raise ValueError(f"`{label}` must be lower than the length of the data. "
                             f"Received: {label}={value}, for data of length {n}")
    start_index = 0 if start_index is None else start_index
    end_index = n if end_index is None else end_index
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
    index_dtype = "int32" if count < 2147483647 else "int64"
    starts = np.arange(0, count, sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)
    offsets = tf.constant(np.arange(0, sequence_length * sampling_rate, sampling_rate,
                                    dtype=index_dtype))
    steps = tf.convert_to_tensor(np.asarray(data)[start_index:end_index]
                                 if not isinstance(data, tf.Tensor) else
                                 data[start_index:end_index])
    positions = tf.data.Dataset.from_tensor_slices(tf.constant(starts))
    dataset = positions.map(lambda p: tf.gather(steps, p + offsets))
    if targets is not None:
        labels = tf.convert_to_tensor(np.asarray(targets)[start_index:end_index]
                                      if not isinstance(targets, tf.Tensor) else
                                      targets[start_index:end_index])
        dataset = tf.data.Dataset.zip((dataset, positions.map(lambda p: tf.gather(labels,
                                                                                   p))))
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        return dataset.batch(batch_size)
    return dataset.shuffle(buffer_size=1024, seed=seed) if shuffle else dataset


__all__ += ["timeseries_dataset_from_array"]

from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
