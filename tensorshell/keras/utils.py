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



def _index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links):
    """Keras' index_directory: (file paths, labels, class names), class folders sorted,
    files sorted within them, shuffled with NumPy's RandomState(seed) as Keras does."""
    import os
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names) <= set(subdirs):
                raise ValueError("The `class_names` passed did not match the names of the "
                                 f"subdirectories of the target directory. Expected: "
                                 f"{subdirs} (or a subset of it), but received: "
                                 f"class_names={class_names}")
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("When `labels=None` (no labels), argument `class_names` cannot "
                             "be specified." if labels is None else "When argument `labels` "
                             "is specified, argument `class_names` cannot be specified.")
        subdirs = [""]
    paths, found = [], []
    for index, sub in enumerate(subdirs):
        root_dir = os.path.join(directory, sub)
        for root, _, files in sorted(os.walk(root_dir, followlinks=follow_links),
                                     key=lambda x: x[0]):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    paths.append(os.path.join(root, name))
                    found.append(index)
    if labels == "inferred":
        labels = np.array(found, np.int32)
        names = subdirs
    elif labels is None:
        names = None
    else:
        if len(labels) != len(paths):
            raise ValueError(f"Expected the lengths of `labels` to match the number of files "
                             f"in the target directory. len(labels) is {len(labels)} while "
                             f"we found {len(paths)} files in directory {directory}.")
        labels = np.asarray(labels)
        names = [str(v) for v in sorted(set(labels.tolist()))]
    if shuffle:
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, names


def _split(samples, labels, validation_split, subset):
    if not validation_split:
        return samples, labels
    n = int(validation_split * len(samples))
    if subset == "training":
        return samples[:-n], None if labels is None else labels[:-n]
    return samples[-n:], None if labels is None else labels[-n:]


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None,
                                shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """A ``ts.data.Dataset`` of ``(text, label)`` batches from ``.txt`` files in one folder
    per class (``labels="inferred"``; or a list of labels, or None), as Keras': classes in
    sorted order (or ``class_names``'), labels "int", "categorical" or "binary",
    ``max_length`` characters, a seeded shuffle of the files, ``validation_split`` with
    ``subset`` "training", "validation" or "both". The dataset has ``class_names``."""
    def load(path):
        text = tf.io.read_file(path)
        return text if max_length is None else tf.strings.substr(text, 0, max_length)
    return _from_directory("text", (".txt",), directory, labels, label_mode, class_names,
                           batch_size, shuffle, seed, validation_split, subset, follow_links,
                           verbose, load)


def _check_split(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: "
                         f"{validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and "
                         "inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must "
                         "provide a `seed` argument, to make sure that there is no overlap "
                         "between the training and validation subset.")


def _labelled(paths, found, label_mode, names, shuffle, buffer, seed, load, batch_size):
    """Keras' paths-and-labels dataset: (contents, label) pairs, labels as label_mode
    says, the pairs shuffled, then loaded, then batched."""
    items = tf.data.Dataset.from_tensor_slices(tf.constant(np.array(paths, dtype=object)))
    if label_mode:
        tags = tf.data.Dataset.from_tensor_slices(tf.constant(found))
        if label_mode == "binary":
            tags = tags.map(lambda y: tf.expand_dims(tf.cast(y, "float32"), -1))
        elif label_mode == "categorical":
            tags = tags.map(lambda y: tf.one_hot(y, len(names)))
        ds = tf.data.Dataset.zip((items, tags))
    else:
        ds = items
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer, seed=seed)
    ds = ds.map((lambda x, y: (load(x), y)) if label_mode else load)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    ds.class_names = names
    return ds


def _from_directory(kind, formats, directory, labels, label_mode, class_names, batch_size,
                    shuffle, seed, validation_split, subset, follow_links, verbose, load):
    """What text_ and image_dataset_from_directory share: index, split, build."""
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"`labels` argument should be a list/tuple of integer labels, of "
                         f"the same size as the number of {kind} files in the target "
                         'directory, "inferred" or None. Received: labels={labels}')
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode}')
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    _check_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, found, names = _index_directory(str(directory), labels, formats, class_names,
                                           shuffle, seed, follow_links)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")
    if verbose:
        print(f"Found {len(paths)} files." if found is None else
              f"Found {len(paths)} files belonging to {len(names)} classes.")
    buffer = batch_size * 8 if batch_size is not None else 1024
    allowed = ", ".join(formats)
    parts = [("training", shuffle), ("validation", False)] if subset == "both" else \
        [(subset, shuffle)]
    out = []
    for part, shuffled in parts:
        p, y = _split(paths, found, validation_split, part)
        if not p:
            raise ValueError(f"No {kind} files found in directory {directory}. Allowed "
                             f"formats: {allowed}")
        out.append(_labelled(p, y, label_mode, names, shuffled, buffer, seed, load,
                             batch_size))
    return out if subset == "both" else out[0]


def _smart_resize(img, size, interpolation):
    """Keras' smart_resize: the largest centred crop of the target aspect ratio, resized."""
    height, width = int(img.shape[0]), int(img.shape[1])
    target_h, target_w = size
    crop_h = max(min(height, int(np.float32(width * target_h) / np.float32(target_w))), 1)
    crop_w = max(min(width, int(np.float32(height * target_w) / np.float32(target_h))), 1)
    top = int(np.float32(height - crop_h) / 2)
    left = int(np.float32(width - crop_w) / 2)
    return tf.image.resize(img[top:top + crop_h, left:left + crop_w], size,
                           method=interpolation)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None,
                                 interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, verbose=True):
    """A ``ts.data.Dataset`` of ``(image, label)`` batches from image files (PNG, GIF, BMP;
    JPEG files raise when read) in one folder per class, as Keras': decoded to
    ``color_mode`` ("rgb", "rgba", "grayscale"), resized to ``image_size`` (or cropped /
    padded to its aspect ratio first), float32, labelled and split as
    ``text_dataset_from_directory``."""
    channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if channels is None:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size}")
    interpolation = interpolation.lower()
    methods = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
               "mitchellcubic")
    if interpolation not in methods:
        raise ValueError(f"Argument `interpolation` should be one of {methods}. Received: "
                         f"interpolation={interpolation}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be "
                         "set to `True`.")
    channels_first = data_format == "channels_first"

    def load(path):
        img = tf.image.decode_image(tf.io.read_file(path), channels=channels,
                                    expand_animations=False)
        if crop_to_aspect_ratio:
            img = _smart_resize(img, image_size, interpolation)
        elif pad_to_aspect_ratio:
            img = tf.image.resize_with_pad(img, image_size[0], image_size[1],
                                           method=interpolation)
        else:
            img = tf.image.resize(img, image_size, method=interpolation)
        return tf.transpose(img, (2, 0, 1)) if channels_first else img

    return _from_directory("image", (".bmp", ".gif", ".jpeg", ".jpg", ".png"), directory,
                           labels, label_mode, class_names, batch_size, shuffle, seed,
                           validation_split, subset, follow_links, verbose, load)

__all__ += ["timeseries_dataset_from_array", "text_dataset_from_directory",
            "image_dataset_from_directory"]

from .._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())


# -- serialization registry and progress (what custom losses, metrics and loops use) --------

_CUSTOM_OBJECTS: dict = {}
_SCOPES: list = []
_REGISTERED_NAMES: dict = {}


def register_keras_serializable(package="Custom", name=None):
    """A class decorator registering the class (or function) as ``package>name``, as
    Keras's: custom losses and metrics written for TensorFlow carry it."""
    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        key = f"{package}>{class_name}"
        if key in _CUSTOM_OBJECTS:
            raise ValueError(f"{key} has already been registered to {_CUSTOM_OBJECTS[key]}")
        _CUSTOM_OBJECTS[key] = arg
        _REGISTERED_NAMES[arg] = key
        return arg
    return decorator


def get_custom_objects() -> dict:
    """The registry of custom objects (a live dict: entries added here are registered)."""
    return _CUSTOM_OBJECTS


def get_registered_name(obj) -> str:
    """``package>name`` for a registered object, else its own name."""
    return _REGISTERED_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or in a custom-object scope, or given) under ``name``."""
    for table in [*reversed(_SCOPES), custom_objects or {}, _CUSTOM_OBJECTS,
                  module_objects or {}]:
        if name in table:
            return table[name]
    return None


class CustomObjectScope:
    """``with custom_object_scope({"MyLoss": MyLoss}):`` - names resolvable inside."""

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _SCOPES.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _SCOPES.remove(self.custom_objects)
        return False


custom_object_scope = CustomObjectScope


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """``x``, ``(x, y)`` or ``(x, y, sample_weight)`` - the tuple a dataset yields."""
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from what a dataset yields (missing parts None)."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


class Progbar:
    """A text progress bar for custom training loops, as Keras's: ``update(current,
    values)`` shows ``current/target``, a bar, the time left and each value (averaged over
    the steps so far; ``stateful_metrics``, and every value at the last step, as given);
    ``add(n, values)`` advances by ``n``. ``verbose=2`` prints one line at the end."""

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        import sys
        import time
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self._dynamic = (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()) or \
            "ipykernel" in sys.modules
        self._values: dict = {}
        self._order: list = []
        self._seen = 0
        self._start = self._last = time.time()
        self._width_printed = 0

    def update(self, current, values=None, finalize=None):
        import sys
        import time
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for key, value in values or []:
            value = float(np.mean(value.numpy() if hasattr(value, "numpy") else value))
            if key not in self._order:
                self._order.append(key)
            if key in self.stateful_metrics or finalize:   # (Keras: the last value at the end)
                self._values[key] = [value, 1]
            else:
                steps = max(current - self._seen, 1)
                total, count = self._values.get(key, [0.0, 0])
                self._values[key] = [total + value * steps, count + steps]
        self._seen = current
        now = time.time()
        if self.verbose == 0 or self.verbose == 2 and not finalize:
            return
        if self.verbose == 1 and now - self._last < self.interval and not finalize:
            return
        self._last = now
        per_unit = (now - self._start) / current if current else 0.0
        if self.target:
            digits = len(str(self.target))
            filled = int(self.width * min(current / self.target, 1.0))
            line = f"{current:{digits}d}/{self.target} [" + "=" * max(filled - 1, 0) + \
                (">" if 0 < filled < self.width else "=" if filled else "") + \
                "." * (self.width - filled) + "]"
        else:
            line = f"{current:7d}/Unknown"
        if self.target and not finalize:
            eta = per_unit * (self.target - current)
            line += " - ETA: " + (f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:"
                                  f"{int(eta % 60):02d}" if eta > 3600 else
                                  f"{int(eta // 60)}:{int(eta % 60):02d}" if eta > 60 else
                                  f"{int(eta)}s")
        else:
            line += f" - {now - self._start:.0f}s"
            if per_unit:
                line += f" {per_unit * 1e3:.0f}ms/{self.unit_name}" if per_unit < 1 else \
                    f" {per_unit:.0f}s/{self.unit_name}"
        for key in self._order:
            total, count = self._values[key]
            avg = total / max(1, count)
            line += f" - {key}: " + (f"{avg:.4f}" if abs(avg) > 1e-3 else f"{avg:.4e}")
        if self._dynamic and self.verbose == 1:
            pad = max(self._width_printed - len(line), 0)
            sys.stdout.write("\r" + line + " " * pad + ("\n" if finalize else ""))
        else:
            sys.stdout.write(line + "\n")
        self._width_printed = len(line)
        sys.stdout.flush()

    def add(self, n, values=None):
        self.update(self._seen + n, values)


__all__ += ["CustomObjectScope", "Progbar", "custom_object_scope", "get_custom_objects",
            "get_registered_name", "get_registered_object", "pack_x_y_sample_weight",
            "register_keras_serializable", "unpack_x_y_sample_weight"]
