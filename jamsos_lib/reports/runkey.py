"""A month run's key, and the no-change path of ``jamsos monthly`` that needs nothing else.

The *run key* is one sha256 over everything a run of the month reads, so that a run with
the key of the last successful run of that month, whose pages are all still there as that
run wrote them, has nothing to render and can say so before importing pandas, pandera,
matplotlib or papermill (:func:`unchanged_run`, called by ``jamsos monthly`` first):

* the processed folder: the sha256 of every file in it (``manifest.json`` and the Parquet
  tables, :func:`jamsos_lib.digests.data_files`), and of the reconciliation made against it
  (``<data>/reconciliation/``: its summary and published tables; not the pseudonymised
  records, :data:`RECORDS_FILE`, which no page reads);
* the code: every file of the ``jamsos_lib`` package (sources, templates, the region
  registry and boundaries under ``reference/``), the region registry CSVs named in
  ``JAMSOS_REGISTRY``, the installed distributions (name and version of every
  ``*.dist-info`` on ``sys.path``) and the Python version;
* the notebooks the run renders (their bytes) and the run's parameters: language, data
  folder and output folder. The period is not in the key: the manifest records which
  month it is, and whether the run asked for the latest month of the data (``latest``).

A change to any of these runs the whole incremental path (:mod:`jamsos_lib.reports.batch`),
which still decides page by page (:mod:`jamsos_lib.reports.fingerprint`): the run key only
says when there is nothing to decide. The manifest of every run records ``run``:
``{"key", "latest"}`` (``fast``: true when this path wrote it); a run of some pages only
(``jamsos report``) keeps the recorded key only when its own key is the same.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from jamsos_lib import atomic
from jamsos_lib.digests import data_files, digest, tree_digest
from jamsos_lib.paths import MONTH_INDEX as INDEX, MONTH_LOCK as LOCK, MONTH_MANIFEST as MANIFEST
from jamsos_lib.paths import PROVENANCE, TABLE_SHA256, TABLES_DIR

#: the run key's own layout; a change makes every month run its incremental path once
KEY_VERSION = "1"
UNCHANGED = "unchanged (not rendered)"


def installed_distributions() -> list[str]:
    """The ``name-version.dist-info`` folders on ``sys.path``: every installed package and its version."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            found.update(n for n in os.listdir(entry or ".") if n.endswith(".dist-info"))
        except OSError:
            continue
    return sorted(found)


def run_key(
    data_dir: str | Path,
    *,
    out_dir: str | Path,
    lang: str,
    notebooks: Iterable[str | Path],
    package_dir: str | Path,
    registry_files: Iterable[str],
) -> str:
    """The key of a month run (module docstring)."""
    notebooks = sorted({Path(n).resolve() for n in notebooks})
    registry = [(str(f), atomic.sha256_file(f) if Path(f).is_file() else None) for f in registry_files]
    return digest(
        KEY_VERSION,
        json.dumps(data_files(data_dir), sort_keys=True),
        tree_digest(package_dir),
        json.dumps(registry),
        json.dumps(installed_distributions()),
        sys.version,
        platform.machine(),
        *[chunk for nb in notebooks for chunk in (nb.as_posix(), nb.read_bytes())],
        json.dumps({"lang": lang, "data_dir": str(Path(data_dir).resolve()), "out_dir": str(Path(out_dir).resolve())}),
    )


def now() -> str:
    """The manifest's times (``started``, ``finished``): local time with its offset."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def nothing_changed(kept: int) -> str:
    """The summary of a run that rendered nothing (both paths print it)."""
    return f"nothing changed since the last run: 0 pages rendered, {kept} unchanged (--force renders all)"


def _candidates(out_dir: Path, period: str | None) -> list[Path]:
    if period is not None:
        return [out_dir / period / MANIFEST]
    try:
        months = sorted((p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    except OSError:
        return []
    return [m / MANIFEST for m in months]


def _still_as_written(folder: Path, manifest: dict) -> bool:
    """Every page of a complete, successful run still there with the sha256 it recorded, and the
    month tables still as written (each file's sha256 in their provenance)."""
    pages = manifest.get("pages")
    if not (
        manifest.get("complete_run")
        and manifest.get("status") == "ok"
        and isinstance(pages, dict)
        and INDEX in pages
        and _tables_as_written(folder / TABLES_DIR)
    ):
        return False
    for entry in pages.values():
        if not isinstance(entry, dict) or entry.get("status") != "ok" or not entry.get("fingerprint"):
            return False
        html = folder / str(entry.get("html_path") or "")
        if not entry.get("html_path") or not html.is_file() or atomic.sha256_file(html) != entry.get("html_sha256"):
            return False
    return True


def _tables_as_written(tables: Path) -> bool:
    """The month tables' files hold the bytes written (a damaged or edited table is computed
    and written again by the run that notices it)."""
    try:
        written = json.loads((tables / PROVENANCE).read_text(encoding="utf-8")).get(TABLE_SHA256)
    except (OSError, ValueError, AttributeError):
        return False
    if not isinstance(written, dict) or not written:
        return False
    for name, sha in written.items():
        table = tables / f"{name}.parquet"
        if not table.is_file() or atomic.sha256_file(table) != sha:
            return False
    return True


def unchanged_run(key: str, out_dir: str | Path, period: str | None) -> tuple[Path, dict] | None:
    """The month folder and manifest of the last run with ``key`` when nothing is left to do:
    ``period`` (None: the run of the latest month of the data) was last run with this key,
    successfully and completely, and every page and the index are still as that run wrote
    them. None otherwise: the incremental path decides."""
    for path in _candidates(Path(out_dir), period):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        run = manifest.get("run") if isinstance(manifest, dict) else None
        if not isinstance(run, dict) or run.get("key") != key or (period is None and not run.get("latest")):
            continue
        if period is not None and manifest.get("period") != period:
            return None
        return (path.parent, manifest) if _still_as_written(path.parent, manifest) else None
    return None


def record_unchanged(folder: Path, manifest: dict, started: str, t0: float) -> dict | None:
    """Rewrite the month's manifest for a run that rendered nothing (every page ``unchanged (not
    rendered)``), under the month's lock; None when another run holds the lock or changed the
    manifest meanwhile (the incremental path then decides, and reports a held lock)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / LOCK))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    try:
        try:
            if json.loads((folder / MANIFEST).read_text(encoding="utf-8")) != manifest:
                return None
        except (OSError, ValueError):
            return None
        pages = {name: {**entry, "reason": UNCHANGED, "rendered": False} for name, entry in manifest["pages"].items()}
        out = {
            **manifest,
            "started": started,
            "finished": now(),
            "duration_s": round(time.perf_counter() - t0, 3),
            "workers": 0,
            "scheduler": None,
            "forced": False,
            "rendered": 0,
            "unchanged": len(pages),
            "pages": pages,
            "run": {**manifest["run"], "fast": True},
        }
        atomic.write_json(folder / MANIFEST, out)
        return out
    finally:
        lock.release()
