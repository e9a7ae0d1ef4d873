"""``ts.nest``: TensorFlow's nested-structure utilities, with its rules.

Lists, tuples, namedtuples and mappings (dicts, OrderedDicts, defaultdicts) are structure;
everything else - tensors, arrays, strings, sets, None - is a leaf ("atom"). Mappings
flatten in sorted key order and are rebuilt in their own key order, as in TensorFlow.
``expand_composites=True`` also opens sparse tensors (indices, values, dense_shape) and
ragged tensors (flat_values, then each level's row_splits).

>>> ts.nest.flatten({"b": 1, "a": [2, (3, 4)]})
[2, 3, 4, 1]
>>> ts.nest.map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])
[11, (22, 33)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure",
           "pack_sequence_as"]


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _is_composite(value) -> bool:
    return getattr(value, "_is_ragged", False) or type(value).__name__ == "SparseTensor"


def _is_structure(value, expand_composites: bool) -> bool:
    return isinstance(value, (list, tuple, Mapping)) or (expand_composites
                                                          and _is_composite(value))


def is_nested(seq) -> bool:
    """Whether ``seq`` is a structure (list, tuple, namedtuple, mapping), not a leaf."""
    return isinstance(seq, (list, tuple, Mapping))


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys; got keys "
                        f"{list(mapping)!r}") from None


def _children(value) -> list:
    """The direct children of a structure, in flattening order."""
    if isinstance(value, Mapping):
        return [value[k] for k in _sorted_keys(value)]
    if isinstance(value, (list, tuple)):
        return list(value)
    if getattr(value, "_is_ragged", False):
        return [value.flat_values, *value.nested_row_splits]
    return [value.indices, value.values, value.dense_shape]  # SparseTensor


def _rebuild(template, children: list):
    """A structure like ``template`` holding ``children`` (in flattening order)."""
    if isinstance(template, Mapping):
        by_key = dict(zip(_sorted_keys(template), children))
        items = [(k, by_key[k]) for k in template]
        if isinstance(template, defaultdict):
            return type(template)(template.default_factory, items)
        return type(template)(items)
    if _is_namedtuple(template):
        return type(template)(*children)
    if isinstance(template, (list, tuple)):
        return type(template)(children)
    from . import ragged, sparse
    if getattr(template, "_is_ragged", False):
        return ragged.RaggedTensor.from_nested_row_splits(children[0], children[1:],
                                                          validate=False)
    return sparse.SparseTensor(*children)


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves of ``structure``, depth first (mappings by sorted key). A leaf gives
    ``[leaf]``."""
    out: list = []

    def walk(value):
        if _is_structure(value, expand_composites):
            for child in _children(value):
                walk(child)
        else:
            out.append(value)
    walk(structure)
    return out


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """``flat_sequence``'s items in the shape of ``structure`` (the inverse of flatten)."""
    if not isinstance(flat_sequence, (list, tuple)):
        raise TypeError(f"Attempted to pack value:\n  {flat_sequence!r}\ninto a structure, "
                        f"but found incompatible type `{type(flat_sequence)}` instead.")
    flat = list(flat_sequence)
    n_atoms = len(flatten(structure, expand_composites))
    if n_atoms != len(flat):
        raise ValueError(f"Could not pack sequence. Structure had {n_atoms} atoms, but "
                         f"flat_sequence had {len(flat)} items.  Structure: {structure!r}, "
                         f"flat_sequence: {flat!r}.")
    items = iter(flat)

    def build(template):
        if _is_structure(template, expand_composites):
            return _rebuild(template, [build(c) for c in _children(template)])
        return next(items)
    return build(structure)


def _describe(value) -> str:
    return f"type={type(value).__name__} str={value!r}"


def _mismatch(first, second, detail: str, cls=ValueError):
    return cls("The two structures don't have the same nested structure.\n\n"
               f"First structure: {_describe(first)}\n\nSecond structure: "
               f"{_describe(second)}\n\nMore specifically: {detail}")


def _same_type(a, b) -> bool:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return True  # a dict and an OrderedDict with the same keys match, as in TensorFlow
    if _is_namedtuple(a) or _is_namedtuple(b):
        return type(a) is type(b) or (_is_namedtuple(a) and _is_namedtuple(b)
                                      and type(a).__name__ == type(b).__name__
                                      and a._fields == b._fields)
    return type(a) is type(b)


def assert_same_structure(nest1, nest2, check_types: bool = True,
                          expand_composites: bool = False) -> None:
    """Raise ValueError unless both have the same nesting and number of leaves (TypeError
    when ``check_types`` and a sequence's type differs: a list against a tuple)."""
    def walk(a, b):
        a_seq = _is_structure(a, expand_composites)
        b_seq = _is_structure(b, expand_composites)
        if a_seq != b_seq:
            seq, atom = (a, b) if a_seq else (b, a)
            raise _mismatch(nest1, nest2, f'Substructure "{_describe(seq)}" is a sequence, '
                            f'while substructure "{_describe(atom)}" is not')
        if not a_seq:
            return
        if check_types and not _same_type(a, b):
            raise _mismatch(nest1, nest2, "The two namedtuples don't have the same sequence "
                            f"type. First structure {_describe(a)} has type "
                            f"{type(a).__name__}, while second structure {_describe(b)} has "
                            f"type {type(b).__name__}", TypeError)
        if isinstance(a, Mapping) and isinstance(b, Mapping) and set(a) != set(b):
            raise _mismatch(nest1, nest2, "The two dictionaries don't have the same set of "
                            f"keys. First structure has keys {_describe(list(a))}, while "
                            f"second structure has keys {_describe(list(b))}")
        ca, cb = _children(a), _children(b)
        if len(ca) != len(cb):
            raise _mismatch(nest1, nest2, "The two structures don't have the same number of "
                            f"elements. First structure: {_describe(a)}. Second structure: "
                            f"{_describe(b)}")
        for x, y in zip(ca, cb):
            walk(x, y)
    walk(nest1, nest2)


def map_structure(func, *structure, **kwargs):
    """``func`` applied to the leaves at the same place in every structure, packed like the
    first. Keywords: ``check_types`` (default True), ``expand_composites``."""
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func!r}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    expand_composites = kwargs.pop("expand_composites", False)
    if kwargs:
        raise ValueError("Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: `{'`, `'.join(kwargs)}`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types,
                              expand_composites=expand_composites)
    columns = zip(*(flatten(s, expand_composites) for s in structure))
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in columns],
                            expand_composites=expand_composites)


from ._public import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
