"""`ts.image`: flips, crops, resizing, colour and dtype conversions for images, generated
from the op registry's table (see engine/ops/image.py), and the image file codecs (also in
``ts.io``; see codecs.py)."""

from .codecs import (decode_bmp, decode_image, decode_jpeg, decode_png,  # noqa: F401
                     encode_png, extract_jpeg_shape, is_jpeg)
from .engine.ops.registry import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["image"])
__all__ = sorted(list(_NAMESPACES["image"]) + ["decode_bmp", "decode_image", "decode_jpeg",
                                                "decode_png", "encode_png",
                                                "extract_jpeg_shape", "is_jpeg"])
