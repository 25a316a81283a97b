"""sha256 digests of inputs: chunks, a folder's files, a processed data folder.

Used by the month tables' provenance (:mod:`jamsos_lib.compute.month`), the run key of a
month (:mod:`jamsos_lib.reports.runkey`) and the page fingerprints
(:mod:`jamsos_lib.reports.fingerprint`); imports nothing heavy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jamsos_lib.atomic import sha256_file

RECONCILIATION = "reconciliation"
#: a reconciliation's pseudonymised records: no page or month table reads them (and they can be large)
RECORDS_FILE = "persons_pseudonymised.parquet"


def digest(*chunks: bytes | str) -> str:
    """sha256 of the chunks, each length-prefixed (so ``("ab", "c")`` differs from ``("a", "bc")``)."""
    h = hashlib.sha256()
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: str | Path, pattern: str = "*") -> str:
    """Every file under ``folder`` matching ``pattern`` (not in ``__pycache__``): relative path and content."""
    folder = Path(folder)
    chunks: list[bytes | str] = []
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        chunks += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*chunks)


def data_files(data_dir: str | Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the processed folder's files (not hidden ones) and of the
    reconciliation made against it (``reconciliation/``, without :data:`RECORDS_FILE`)."""
    folder = Path(data_dir)
    out = {f.name: sha256_file(f) for f in sorted(folder.iterdir()) if f.is_file() and not f.name.startswith(".")}
    rec = folder / RECONCILIATION
    if rec.is_dir():
        for f in sorted(rec.iterdir()):
            if f.is_file() and not f.name.startswith(".") and f.name != RECORDS_FILE:
                out[f"{RECONCILIATION}/{f.name}"] = sha256_file(f)
    return out
