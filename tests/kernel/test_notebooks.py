"""Every notebook in notebooks/ runs end to end on the tensorshell kernel; a cell error fails
the test unless the cell is tagged ``raises-exception``."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="tensorshell", timeout=60, startup_timeout=60).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs, "the notebook displayed nothing"
    for cell in nb.cells:
        if cell.cell_type == "code" and "raises-exception" in cell.metadata.get("tags", []):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert errors, f"cell tagged raises-exception did not raise:\n{cell.source}"


def test_walkthrough_shows_tensors_and_explained_errors():
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    NotebookClient(nb, kernel_name="tensorshell", timeout=60, startup_timeout=60).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    html = [o.data["text/html"] for c in code for o in c.outputs
            if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert any('aria-label="heatmap"' in h for h in html)
    tracebacks = ["\n".join(o.traceback) for c in code for o in c.outputs
                  if o.output_type == "error"]
    assert any("ts.cast(y, ts.float32)" in t for t in tracebacks)


def test_training_notebook_updates_its_progress_live_and_plots_the_loss():
    nb = nbformat.read([p for p in NOTEBOOKS if "training" in p.name][0], as_version=4)
    updates = []
    client = NotebookClient(nb, kernel_name="tensorshell", timeout=120, startup_timeout=60)
    original = client._update_display_id

    def spy(display_id, msg):
        if msg["header"]["msg_type"] == "update_display_data":
            updates.append(display_id)
        return original(display_id, msg)
    client._update_display_id = spy
    client.execute()
    assert updates, "the progress display never updated in place"
    html = [o.data["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "text/html" in o.get("data", {})]
    assert any('aria-label="training loss"' in h for h in html)
