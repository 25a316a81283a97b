"""Test-session set-up.

The suite must pass on a fresh clone, where ``data/processed`` does not exist yet. So that a
developer's own processed folder can never make a test pass by accident, this process's
default processed folder (``jamsos_lib.paths.PROCESSED``) is an empty temporary folder for
the whole session. No environment variable carries it: commands the tests run in another
process, and notebooks, are given their data folder explicitly (``--data``, ``data_dir``,
``tables_dir``); tests that need processed data build it themselves.
"""

import tempfile
from pathlib import Path

import pytest

from jamsos_lib import paths

paths.PROCESSED = Path(tempfile.mkdtemp(prefix="jamsos-test-")) / "processed"


@pytest.fixture(scope="module")
def pages():
    """The report pages rendered once per session through the real ``jamsos report`` CLI on
    the small report data set (``tests/report_fixture.py``)."""
    import report_fixture

    result = report_fixture.rendered()
    assert result.cli.returncode == 0, result.cli.stdout + result.cli.stderr
    return result
