"""The shipped examples are executable documentation: they must pass in test mode and run
as plain scripts."""

from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.tsh"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_passes_in_test_mode(tsh, path):
    r = tsh("test", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith(" failed") and ", 0 failed" in r.stdout
