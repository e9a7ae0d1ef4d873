"""``dir()`` of a public namespace module without its imports (``np``, ``annotations``,
``struct`` ...), so completion in the REPL and Jupyter offers only what users can use."""

from __future__ import annotations

from types import ModuleType


def public_dir(namespace: dict):
    """A module-level ``__dir__`` for the module whose ``globals()`` is ``namespace``."""
    def __dir__():
        return sorted(name for name, value in namespace.items()
                      if not name.startswith("_") and name != "annotations"
                      and not _foreign(value))
    return __dir__


def _foreign(value) -> bool:
    """An import from outside tensorshell (or of an engine module), not an export."""
    if isinstance(value, ModuleType):
        return not value.__name__.startswith("tensorshell.") or \
            value.__name__.startswith("tensorshell.engine.")
    home = getattr(value, "__module__", None)
    return isinstance(home, str) and not home.startswith("tensorshell") and \
        (isinstance(value, type) or callable(value))


def submodule(parent: str, name: str, doc: str, members: dict):
    """A namespace module ``parent.name`` holding ``members`` (``ts.random.experimental``,
    ``ts.math.special`` ...), importable by its dotted name as TensorFlow's are."""
    import sys
    module = ModuleType(f"{parent}.{name}", doc)
    module.__dict__.update(members)
    module.__all__ = sorted(members)
    sys.modules[module.__name__] = module
    return module
