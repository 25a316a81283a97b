"""``jamsos validate FILE...``: check raw files without writing anything.

The kind comes from the file's ``.meta.yml`` sidecar when there is one (its sha256 is
checked too), otherwise it is told from the content. One summary line per file::

    OK    bps/x.xlsx  bps_workers  152 rows, 1 warning
    FAIL  bpjs/y.xlsx  bpjs_branch  3 errors

followed by that file's problem lines. Exit status 2 if any file failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jamsos_lib.errors import EXIT_BAD_INPUT, InputError, Problem


def register(sub) -> None:
    p = sub.add_parser("validate", help="check raw files without writing anything; one summary line per file")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(func=run)


def validate_file(path: Path, registry) -> tuple[str, int, list[Problem]]:
    """(kind, rows, problems) for one file; never raises for bad input."""
    from jamsos_lib.read.kinds import COMPLETE_KINDS, READERS, sniff_kind
    from jamsos_lib.read.provenance import read_provenance, sidecar_path
    from jamsos_lib.validate.checks import run_checks

    display = str(path)
    kind = "?"
    problems: list[Problem] = []
    try:
        provenance = None
        if sidecar_path(path).exists():
            provenance = read_provenance(path, path.parent)
            kind = provenance.kind
        else:
            kind = sniff_kind(path, display)
        result = READERS[kind](path, registry=registry, provenance=provenance, display=display)
        problems += result.warnings
        problems += run_checks(result.tables, registry, completeness=kind in COMPLETE_KINDS)
        return kind, result.rows, problems
    except InputError as exc:
        return kind, 0, problems + exc.problems


def run(args) -> int:
    from jamsos_lib.regions import load_registry

    registry = load_registry()
    failed = 0
    for path in args.files:
        kind, rows, problems = validate_file(path, registry)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity != "error"]
        if errors:
            failed += 1
            print(
                f"FAIL  {path}  {kind}  {len(errors)} error{'s' if len(errors) != 1 else ''}"
                + (f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else "")
            )
        else:
            print(f"OK    {path}  {kind}  {rows} rows, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
        for p in problems:
            print(f"  {p}")
    sys.stdout.flush()
    return EXIT_BAD_INPUT if failed else 0
