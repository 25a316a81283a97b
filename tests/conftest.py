"""Test-session set-up.

The suite must pass on a fresh clone, where ``data/processed`` does not exist yet. So that a
developer's own processed folder can never make a test pass by accident, the default
processed folder is pointed at an empty temporary folder for the whole session, before
``jamsos_lib.paths`` is imported. Tests that need processed data build it themselves.
"""

import os
import tempfile

os.environ["JAMSOS_PROCESSED"] = os.path.join(tempfile.mkdtemp(prefix="jamsos-test-"), "processed")


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def pages():
    """The report pages rendered once per session through the real ``jamsos report`` CLI on
    the small report data set (``tests/report_fixture.py``)."""
    import report_fixture

    result = report_fixture.rendered()
    assert result.cli.returncode == 0, result.cli.stdout + result.cli.stderr
    return result
