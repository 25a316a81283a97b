"""Small-cell suppression and keyed pseudonyms. Synthetic NIKs only."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import pytest

from jamsos_lib import paths
from jamsos_lib.compute import pseudonym
from jamsos_lib.errors import JamsosError
from jamsos_lib.present import privacy

NIK = "3513010101900001"


def test_primary_and_secondary_suppression():
    # row sums: a + b = total; with a = 3 hidden, the smallest other non-zero (b = 12) is hidden too
    frame = pd.DataFrame({"a": [3, 20], "b": [12, 40], "total": [15, 60]})
    out, hidden = privacy.suppress(frame, ["a", "b", "total"], privacy.row_sums(2, ["a", "b"], "total"))
    assert list(out.loc[0]) == ["<10", "s", "15"]
    assert list(out.loc[1]) == ["20", "40", "60"]
    assert hidden == {(0, "a"): "<10", (0, "b"): "s"}


def test_zero_is_shown_and_column_groups_propagate():
    frame = pd.DataFrame({"n": [0, 5, 30, 35]})  # last row is the total
    out, _ = privacy.suppress(frame, ["n"], privacy.column_sums(4, ["n"]))
    assert list(out["n"]) == ["0", "<10", "s", "35"]


def test_dependent_percentages_blanked():
    frame = pd.DataFrame({"n": [4, 50], "pct": [1.0, 12.5]})
    out, hidden = privacy.suppress(frame, ["n"])
    out = privacy.hide_dependent(out, hidden, {"pct": ["n"]})
    assert out["pct"].iloc[0] is None and out["pct"].iloc[1] == 12.5


def test_hmac_not_plain_hash_and_sql_matches_python():
    key = b"a" * 32
    p = pseudonym.pseudonymise([NIK], key).iloc[0]
    assert len(p) == pseudonym.PSEUDONYM_HEX
    assert p != hashlib.sha256(NIK.encode()).hexdigest()[: len(p)]
    assert p != pseudonym.pseudonymise([NIK], b"b" * 32).iloc[0]
    sql = (
        duckdb.connect()
        .execute(f"SELECT {pseudonym.pseudonym_sql('x')} FROM (SELECT '{NIK}' AS x)", pseudonym.hmac_key_params(key))
        .fetchone()[0]
    )
    assert sql == p


def test_key_sources(monkeypatch, tmp_path):
    monkeypatch.delenv(pseudonym.KEY_ENV, raising=False)
    assert pseudonym.load_key() is None
    with pytest.raises(JamsosError, match="without a secret key"):
        pseudonym.require_key()
    monkeypatch.setenv(pseudonym.KEY_ENV, "short")
    with pytest.raises(JamsosError, match="too short"):
        pseudonym.load_key()
    keyfile = tmp_path / "key"
    keyfile.write_text("x" * 40)
    keyfile.chmod(0o600)
    assert pseudonym.load_key(keyfile) == b"x" * 40


def test_key_file_inside_repository_refused():
    with pytest.raises(JamsosError, match="inside the repository"):
        pseudonym.load_key(paths.ROOT / "pyproject.toml")
