"""Metadata lives in pyproject.toml; this file only declares the optional C extension
(setuptools reads ext_modules from here). Where no compiler exists the build skips it and
tensorshell runs its pure-Python paths (tensorshell.engine.speedups reports which)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("tensorshell.engine._speedups",
                             ["tensorshell/engine/_speedups.c"], optional=True)])
