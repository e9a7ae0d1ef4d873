"""`ts.experimental`: interfaces whose shape may still change."""

from . import dlpack  # noqa: F401
