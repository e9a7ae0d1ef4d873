"""Magics: ``%device`` (show or set the session's default device), ``%tensors`` / ``%whos_t``
(the tensors in the workspace) and ``%tstimeit`` (``%timeit`` that waits for the GPU)."""

from __future__ import annotations

from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class

from ..engine import devices
from ..engine.tensor import Tensor
from ..engine.variable import Variable
from .errors import to_text


def device_table():
    from rich.table import Table
    table = Table(title="devices", title_justify="left", show_edge=False)
    for col in ("", "device", "type", "name"):
        table.add_column(col)
    for d in devices.all_devices():
        mark = "*" if d is devices.placement.default else ""
        table.add_row(mark, d.short, d.device_type, d.name)
    return table


def _nbytes(value) -> int:
    data = value._data
    return int(data.size * (8 if value._dtype.is_string else value._dtype.size))


def workspace_rows(namespace: dict):
    """(name, kind, shape, dtype, device, bytes, parts) for every tensor, Variable, sparse
    or ragged tensor (what it stores) and ``ts.Module`` (its Variables together: shape says
    how many and how many values), by name. ``parts`` are the (id, device, bytes) of the
    arrays a row holds, so totals count a Variable reachable by two names once. Reads
    metadata only: no value is computed, copied or printed."""
    from ..module import Module
    from ..ragged import RaggedTensor
    from ..sparse import SparseTensor
    rows = []
    for name, value in sorted(namespace.items()):
        if name.startswith("_"):
            continue
        if isinstance(value, (Tensor, Variable)):
            kind = "Variable" if isinstance(value, Variable) else "Tensor"
            part = (id(value), value._device.short, _nbytes(value))
            rows.append((name, kind, tuple(value._data.shape), value._dtype.name,
                         part[1], part[2], (part,)))
        elif isinstance(value, (SparseTensor, RaggedTensor)):
            # the stored arrays: values and indices, or flat values and row splits
            arrays = [value.values, value.indices, value.dense_shape] \
                if isinstance(value, SparseTensor) else \
                [value.flat_values, *value.nested_row_splits]
            parts = tuple((id(a), a._device.short, _nbytes(a)) for a in arrays)
            kind = type(value).__name__
            shape = tuple("None" if d is None else d for d in value.shape.as_list())
            rows.append((name, kind, shape, value.dtype.name, arrays[0]._device.short,
                         sum(p[2] for p in parts), parts))
        elif isinstance(value, Module):
            variables = value.variables
            parts = tuple((id(v), v._device.short, _nbytes(v)) for v in variables)
            count = sum(int(v._data.size) for v in variables)
            rows.append((name, "Module", f"{len(variables)} variables, {count:,} values",
                         ", ".join(sorted({v._dtype.name for v in variables})),
                         ", ".join(sorted({p[1] for p in parts})),
                         sum(p[2] for p in parts), parts))
    return rows


def workspace_table(namespace: dict):
    from rich.table import Table

    from ..display.summary import human_bytes
    rows = workspace_rows(namespace)
    table = Table(show_edge=False)
    for col, justify in (("name", "left"), ("kind", "left"), ("shape", "left"),
                         ("dtype", "left"), ("device", "left"), ("memory", "right")):
        table.add_column(col, justify=justify)
    totals: dict[str, int] = {}
    counted: set[int] = set()
    for name, kind, shape, dtype, dev, nbytes, parts in rows:
        shown = shape if isinstance(shape, str) else "[" + ", ".join(map(str, shape)) + "]"
        table.add_row(name, kind, shown, dtype, dev, human_bytes(nbytes))
        for key, part_dev, part_bytes in parts:
            if key not in counted:
                counted.add(key)
                totals[part_dev] = totals.get(part_dev, 0) + part_bytes
    for dev, total in sorted(totals.items()):
        table.add_row(f"total on {dev}", "", "", "", dev, human_bytes(total), style="bold")
    return table, rows


@magics_class
class TensorMagics(Magics):
    @line_magic
    def device(self, line):
        """%device [SPEC]: show the devices, or make SPEC the session's default device."""
        spec = line.strip().strip("'\"")
        if spec:
            dev = devices.lookup(spec)
            devices.set_default(dev)
            print(f"default device: {dev.short} ({dev.name})")
            return
        print(to_text(device_table()))

    @line_magic
    def tensors(self, line):
        """%tensors: every tensor and Variable in the namespace: name, kind, shape, dtype,
        device and memory, with a total per device."""
        table, rows = workspace_table(self.shell.user_ns)
        if not rows:
            print("no tensors in the workspace")
            return
        print(to_text(table))

    @line_magic
    def whos_t(self, line):
        """%whos_t: alias of %tensors."""
        return self.tensors(line)

    @line_cell_magic
    def tstimeit(self, line, cell=None):
        """%tstimeit: %timeit that synchronises every device before reading the clock, so
        GPU timings measure the work, not the launch."""
        self.shell.user_ns["_tensorshell_sync"] = devices.synchronize_all
        if cell is None:
            return self.shell.run_line_magic("timeit", f"{line}; _tensorshell_sync()")
        return self.shell.run_cell_magic("timeit", line, f"{cell}\n_tensorshell_sync()")


def register(ip) -> None:
    ip.register_magics(TensorMagics)
