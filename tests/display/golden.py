"""Golden-string helper: compare rendered output with a file under golden/.

Run with ``TS_UPDATE_GOLDEN=1`` to (re)write the files after an intended change, then review
the diff like any other code change.
"""

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("TS_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}; run with TS_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"rendering of {name} changed:\n{text}\n--- expected ---\n{expected}"
