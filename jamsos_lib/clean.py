"""``jamsos clean``: raw files -> validated tidy tables in ``data/processed/``.

1. Discover every data file under the raw folder (recursively) that has a provenance
   sidecar ``<file>.meta.yml``; data files without one are listed as ignored.
2. If the processed folder's ``manifest.json`` has the same input hashes (data files,
   sidecars, region registry) and package version, stop: "up to date", nothing is rewritten.
3. Read each file's sidecar (sha256 checked) and the file with the reader for its ``kind``;
   set each row's ``status`` from the sidecar (``mixed`` files: the published list).
4. Combine the tables of all files (a published row overrides an illustrative one for the
   same key; the override is recorded as a note) and run the cross-table checks
   (:mod:`jamsos_lib.validate.checks`).
5. Every error of every file is collected; if there is any, raise one :class:`InputError`
   with all of them and write nothing. Otherwise write all tables (Parquet, validated against
   :mod:`jamsos_lib.validate.schemas`), ``quality.parquet`` (the warnings) and
   ``manifest.json`` into a new folder that replaces the old one atomically
   (:func:`jamsos_lib.atomic.atomic_dir`), so a failed run leaves the previous data intact.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from jamsos_lib import __version__, paths
from jamsos_lib.atomic import atomic_dir, remove_stale_siblings, sha256_file, write_json
from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.kinds import READERS
from jamsos_lib.read.provenance import SIDECAR_SUFFIX, Provenance, data_path_of, read_provenance
from jamsos_lib.regions import RegionRegistry, load_registry, registry_files
from jamsos_lib.store import MANIFEST
from jamsos_lib.validate import checks
from jamsos_lib.validate.schemas import TABLES, empty_frame

DATA_SUFFIXES = (".xlsx", ".xlsm", ".csv")
#: Files carried over from the old processed folder (they are not generated).
KEEP_FILES = ("README.md", ".gitignore")
#: Outputs of other commands that live in the processed folder and that clean does not
#: rebuild (``jamsos reconcile`` writes ``reconciliation/``): carried over unchanged.
KEEP_DIRS = ("reconciliation",)
_SORT = {
    "workers": ["region_code", "year"],
    "participants": ["period", "region_code", "segment"],
    "eligibility": ["region_code", "year"],
    "denominators": ["region_code", "year"],
    "targets": ["scope", "region_code", "year", "series"],
    "programmes": ["region_code", "year"],
    "rates": ["segment", "program"],
    "sources": ["source_id"],
}


@dataclass
class CleanResult:
    """What a run did, for the summary."""

    out: Path
    up_to_date: bool
    files: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    illustrative_rows: dict[str, int] = field(default_factory=dict)
    illustrative_sources: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    #: what was carried over from the old processed folder unchanged (not rebuilt by clean)
    kept: list[str] = field(default_factory=list)


def discover(raw: Path) -> tuple[list[Path], list[Path]]:
    """Data files with a sidecar (sorted) and data files without one, under ``raw``."""
    with_sidecar = sorted(data_path_of(p) for p in raw.rglob(f"*{SIDECAR_SUFFIX}") if not _hidden(p, raw))
    known = set(with_sidecar)
    without = sorted(
        p
        for p in raw.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DATA_SUFFIXES
        and p not in known
        and not _hidden(p, raw)
        and not p.name.startswith("~$")
    )
    return with_sidecar, without


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def input_hashes(raw: Path, files: list[Path], registry_csvs: list[str]) -> dict:
    """The fingerprint compared with the manifest: data files, sidecars, registry CSVs."""
    entries = []
    for f in files:
        for p in (f, f.with_name(f.name + SIDECAR_SUFFIX)):
            if p.exists():
                entries.append({"path": p.relative_to(raw).as_posix(), "sha256": sha256_file(p)})
    registry = [{"path": Path(r).name, "sha256": sha256_file(r)} for r in registry_csvs]
    return {"inputs": entries, "registry": registry}


def git_commit(root: Path | None = None) -> str | None:
    """HEAD of the checkout holding the package, ``-dirty`` if tracked files changed; None if not git."""
    root = root or paths.PACKAGE_DIR.parent
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=20)
        if head.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = head.stdout.strip()
    return commit + ("-dirty" if status.stdout.strip() else "")


def _is_up_to_date(out: Path, fingerprint: dict) -> bool:
    manifest_path = out / MANIFEST
    if not manifest_path.exists():
        return False
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("package_version") != __version__:
        return False
    if manifest.get("inputs") != fingerprint["inputs"] or manifest.get("registry") != fingerprint["registry"]:
        return False
    return all((out / f"{name}.parquet").exists() for name in TABLES)


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the required columns of schema ``name`` and their dtypes."""
    return empty_frame(TABLES[name], required_only=True)


def read_all(
    raw: Path, files: list[Path], registry: RegionRegistry
) -> tuple[list[Provenance], dict[str, list[pd.DataFrame]], list[Problem]]:
    """Read every file; return provenances, table parts and all problems (errors + warnings)."""
    provenances: list[Provenance] = []
    parts: dict[str, list[pd.DataFrame]] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            prov = read_provenance(path, raw)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        provenances.append(prov)
        try:
            result = READERS[prov.kind](path, registry=registry, provenance=prov, display=prov.source_id)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(result.warnings)
        if "workers" in result.tables:  # a table with the province total must list every kab/kota
            problems.extend(checks.check_workers_complete(result.tables["workers"], registry, with_total_only=True))
        for name, frame in result.tables.items():
            parts.setdefault(name, []).append(frame)
    return provenances, parts, problems


def quality_table(warnings: list[Problem]) -> pd.DataFrame:
    records = [
        {
            "source_id": p.file,
            "file": p.file,
            "region_code": getattr(p, "region_code", None),
            "period": getattr(p, "period", None),
            "severity": p.severity,
            "message": str(p),
        }
        for p in warnings
    ]
    if not records:
        return empty_table("quality")
    frame = pd.DataFrame.from_records(records)
    for col in ("source_id", "file", "severity", "message"):
        frame[col] = frame[col].astype(str)
    for col in ("region_code", "period"):
        frame[col] = frame[col].astype("str")
        frame.loc[[v is None for v in (r[col] for r in records)], col] = None
    return frame


def clean(
    raw: str | Path | None = None, out: str | Path | None = None, *, registry: RegionRegistry | None = None
) -> CleanResult:
    """Run the whole clean (see module docstring). Raises :class:`InputError` on bad input."""
    raw = Path(raw) if raw else paths.RAW
    out = Path(out) if out else paths.PROCESSED
    remove_stale_siblings(out)  # what a killed run left, even when there is nothing else to do
    registry = registry or load_registry()
    if not raw.is_dir():
        raise InputError(Problem(str(raw), "an existing raw data folder"))
    files, ignored = discover(raw)
    result = CleanResult(
        out=out,
        up_to_date=False,
        files=[f.relative_to(raw).as_posix() for f in files],
        ignored=[p.relative_to(raw).as_posix() for p in ignored],
    )
    if not files:
        raise InputError(
            Problem(
                str(raw), "raw files with a provenance sidecar (<file>.meta.yml); none found (see data/raw/README.md)"
            )
        )
    registry_csvs = registry_files()
    fingerprint = input_hashes(raw, files, registry_csvs)
    if _is_up_to_date(out, fingerprint):
        result.up_to_date = True
        return result

    provenances, parts, problems = read_all(raw, files, registry)
    tables: dict[str, pd.DataFrame] = {}
    for name in ("workers", "participants", "eligibility", "denominators", "targets", "rates", "programmes"):
        combined, errs, notes = checks.combine(name, parts.get(name, []))
        problems.extend(errs)
        result.notes.extend(notes)
        tables[name] = combined if len(combined) else empty_table(name)
    if not any(p.severity == "error" for p in problems):
        problems.extend(checks.run_checks(tables, registry))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    result.warnings = [p for p in problems if p.severity != "error"]

    tables["sources"] = pd.DataFrame.from_records([p.sources_row() for p in provenances]).astype(str)
    tables["quality"] = quality_table(result.warnings)
    for name, frame in tables.items():
        if name in _SORT and len(frame):
            frame = frame.sort_values(_SORT[name], kind="stable").reset_index(drop=True)
        tables[name] = TABLES[name].validate(frame.reset_index(drop=True), lazy=True)
        result.row_counts[name] = len(frame)
        if "status" in frame and name != "sources":
            result.illustrative_rows[name] = int((frame["status"] == "illustrative").sum())
    result.illustrative_sources = sorted(p.source_id for p in provenances if p.status != "published")

    manifest = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "package_version": __version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "raw": str(raw),
        "inputs": fingerprint["inputs"],
        "registry": fingerprint["registry"],
        "tables": result.row_counts,
        "warnings": len(result.warnings),
        "notes": result.notes,
        "illustrative_sources": result.illustrative_sources,
    }
    with atomic_dir(out) as tmp:
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        for keep in KEEP_FILES:
            if (out / keep).is_file():
                shutil.copy2(out / keep, tmp / keep)
                result.kept.append(keep)
        for keep in KEEP_DIRS:
            if (out / keep).is_dir():
                shutil.copytree(out / keep, tmp / keep)
                result.kept.append(keep + "/")
        write_json(tmp / MANIFEST, manifest)
    return result


def summary(result: CleanResult) -> str:
    """A few lines for the analyst: files, rows per table, warnings, illustrative figures."""
    if result.up_to_date:
        return f"jamsos clean: up to date ({len(result.files)} raw files unchanged; {result.out} not rewritten)"
    lines = [f"jamsos clean: read {len(result.files)} raw files, wrote {result.out}"]
    for name, n in result.row_counts.items():
        ill = result.illustrative_rows.get(name)
        extra = f" ({ill} illustrative)" if ill else ""
        lines.append(f"  {name:<13}{n:>7} rows{extra}")
    lines.append(f"  warnings: {len(result.warnings)}" + (" (see quality.parquet)" if result.warnings else ""))
    for w in result.warnings[:5]:
        lines.append(f"    {w}")
    if len(result.warnings) > 5:
        lines.append(f"    … and {len(result.warnings) - 5} more")
    for note in result.notes:
        lines.append(f"  note: {note}")
    if result.illustrative_sources:
        lines.append(
            "  ILLUSTRATIVE figures (never cite them as statistics) come from: "
            + ", ".join(result.illustrative_sources)
        )
    for path in result.ignored:
        lines.append(f"  ignored (no .meta.yml sidecar): {path}")
    for name in result.kept:
        why = (
            " (written by 'jamsos reconcile' for the previous data; run it again for this data, or delete it)"
            if name == "reconciliation/"
            else ""
        )
        lines.append(f"  kept unchanged: {result.out / name}{'/' if name.endswith('/') else ''}{why}")
    return "\n".join(lines)
