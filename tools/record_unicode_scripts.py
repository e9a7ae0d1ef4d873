"""Regenerate tensorshell/resources/unicode_scripts.npz: ICU's script code of every code
point, as TensorFlow's tf.strings.unicode_script gives it, stored as runs (first code point,
UScriptCode). Run where TensorFlow is installed:

    python tools/record_unicode_scripts.py
"""

import pathlib

import numpy as np
import tensorflow as tf

codes = tf.strings.unicode_script(np.arange(0x110000, dtype=np.int32)).numpy()
starts = np.concatenate([[0], np.flatnonzero(np.diff(codes)) + 1]).astype(np.int32)
out = pathlib.Path(__file__).parent.parent / "tensorshell" / "resources" / "unicode_scripts.npz"
np.savez_compressed(out, starts=starts, codes=codes[starts].astype(np.int16))
print(f"{len(starts)} runs from TensorFlow {tf.__version__} -> {out}")
