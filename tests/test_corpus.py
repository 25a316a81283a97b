"""The spreadsheet corpus of issue 16 (``tests/corpus/make_corpus.py``): every file is a value
or a named problem. Each file's ``jamsos validate`` problems are exactly the expected lines
(worked out by hand in the corpus script); files that read give the figures worked out by
hand, or the same table as a like-for-like file without the defect; and ``jamsos clean`` on a
copy of the shipped raw data plus the bad files fails with those lines and leaves the
processed folder byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from corpus.make_corpus import make_corpus
from jamsos_lib import paths
from jamsos_lib.clean import clean
from jamsos_lib.commands.validate import validate_file
from jamsos_lib.errors import InputError
from jamsos_lib.read.kinds import READERS
from jamsos_lib.regions import load_registry
from layouts import write_sidecar

REGISTRY = load_registry()


#: the corpus, written once per test session (at collection: the cases name the tests)
CORPUS = Path(tempfile.mkdtemp(prefix="jamsos-corpus-")) / "corpus"
CASES = {c.name: c for c in make_corpus(CORPUS)}


def test_the_corpus_is_large_and_covers_both_layouts():
    assert len(CASES) >= 30
    assert len([c for c in CASES if c.startswith("bps_")]) >= 10
    assert len([c for c in CASES if c.startswith("branch_")]) >= 10
    assert len([c for c in CASES if c.endswith(".csv")]) >= 5


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_reports_exactly_the_expected_lines(name):
    folder, case = CORPUS, CASES[name]
    kind, rows, problems = validate_file(folder / name, REGISTRY)
    assert kind == case.kind
    assert [str(p) for p in problems if p.severity == "error"] == case.errors
    assert [str(p) for p in problems if p.severity != "error"] == case.warnings
    assert all("Traceback" not in str(p) for p in problems)
    if not case.errors:
        tables = READERS[kind](folder / name, registry=REGISTRY, display=str(folder / name)).tables
        if case.check:
            case.check(tables)
        if case.same_as:
            like = READERS[kind](folder / case.same_as, registry=REGISTRY, display=str(folder / name)).tables
            assert tables.keys() == like.keys()
            for table in tables:
                pd.testing.assert_frame_equal(tables[table], like[table])
        assert case.check or case.same_as  # a file that reads is checked for what it read


def snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A copy of the shipped raw data and the processed folder a clean of it writes."""
    root = tmp_path_factory.mktemp("shipped")
    raw = shutil.copytree(paths.ROOT / "data" / "raw", root / "raw")
    out = root / "processed"
    clean(raw, out)
    return raw, out


def _clean_with(shipped, tmp_path, names) -> tuple[list[str], bool]:
    """Clean the shipped raw data plus the corpus files ``names``: (error lines, processed unchanged)."""
    raw, out = shipped
    work = shutil.copytree(raw, tmp_path / "raw")
    (work / "corpus").mkdir()
    for name in names:
        write_sidecar(shutil.copy2(CORPUS / name, work / "corpus" / name), CASES[name].kind)
    before = snapshot(out)
    with pytest.raises(InputError) as exc:
        clean(work, out)
    unchanged = snapshot(out) == before and not [p for p in out.parent.iterdir() if p.name.startswith(".processed")]
    return [str(p) for p in exc.value.errors], unchanged


def test_clean_with_the_bad_files_fails_with_their_lines_and_changes_nothing(shipped, tmp_path):
    cases = CASES
    bad = [c.name for c in cases.values() if c.errors and not c.cross_table]
    errors, unchanged = _clean_with(shipped, tmp_path, bad)
    assert unchanged
    for name in bad:
        for line in cases[name].errors:
            assert line in errors, (name, line)


def test_clean_with_impossible_counts_fails_in_the_cross_table_checks_and_changes_nothing(shipped, tmp_path):
    cases = CASES
    bad = [c.name for c in cases.values() if c.cross_table]
    assert len(bad) == 3
    errors, unchanged = _clean_with(shipped, tmp_path, bad)
    assert unchanged
    for name in bad:
        for line in cases[name].errors:
            assert line in errors, (name, line)
