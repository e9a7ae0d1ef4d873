"""What Keras' initializers, regularizers and constraints share: configs, reprs, and lookup
by name or by ``{"class_name", "config"}`` dict."""

from __future__ import annotations


class Configurable:
    """``get_config`` / ``from_config`` / ``clone`` and a repr from the config."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        module = type(self).__module__.removeprefix("tensorshell.")
        return f"<ts.{module}.{type(self).__name__}({args})>"


def serialize(obj):
    return {"class_name": type(obj).__name__, "config": obj.get_config()}


def lookup(identifier, namespace, base, what):
    """The object ``identifier`` names in ``namespace`` (a class or alias name, or a
    serialized dict); callables, and None, are returned as they are."""
    if identifier is None or callable(identifier):
        return identifier
    config = {}
    if isinstance(identifier, dict):
        identifier, config = identifier.get("class_name"), identifier.get("config", {})
    cls = namespace.get(identifier) if isinstance(identifier, str) else None
    if isinstance(cls, type) and issubclass(cls, base) and cls is not base:
        return cls.from_config(config)
    raise ValueError(f"Could not interpret {what} identifier: {identifier!r}")
