"""`ts.image`: flips, crops, resizing, colour and dtype conversions for images, generated
from the op registry's table (see engine/ops/image.py), and the image file codecs (also in
``ts.io``; see codecs.py)."""

from . import codecs as _codecs
from .codecs import *  # noqa: F401,F403 - the codecs, as tf.image has them
from .codecs import (adjust_jpeg_quality, random_jpeg_quality,  # noqa: F401
                     stateless_random_jpeg_quality)
from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["image"])
__all__ = sorted(list(_NAMESPACES["image"]) + _codecs.__all__ + _codecs.IMAGE_ONLY)
