"""The provenance sidecar ``<file>.meta.yml`` beside every raw file (spec: ``data/raw/README.md``).

:func:`read_provenance` reads and checks it: required keys present and non-empty, a known
``kind``, ``status`` one of ``published``/``illustrative``/``mixed``, a ``published`` list
for ``mixed`` files, and ``sha256`` equal to the data file's digest (a mismatch means the
raw file was edited or replaced, and is an error naming the file). All problems of one
sidecar are raised together.

For ``status: mixed`` each entry of ``published`` names a published cell by the values of
its key columns, e.g. ``{region_code: "35", year: 2021, source_url: ...}``; a row is
published when every key in an entry (other than ``source_url``/``source``/``note``)
equals the row's value in that column (compared as text). :meth:`Provenance.status_of`
applies that to a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jamsos_lib.atomic import sha256_file
from jamsos_lib.errors import InputError, Problem

KINDS = ("bps_workers", "bpjs_branch", "bpjs_long", "targets", "rates", "programmes", "eligibility", "denominators")
STATUSES = ("published", "illustrative", "mixed")
REQUIRED_KEYS = ("kind", "title", "publisher", "url", "date_accessed", "period", "status", "sha256")
_DESCRIPTIVE_KEYS = {"source_url", "source", "note", "url"}
SIDECAR_SUFFIX = ".meta.yml"


def sidecar_path(data_path: str | Path) -> Path:
    """``bps/x.xlsx`` -> ``bps/x.xlsx.meta.yml``."""
    data_path = Path(data_path)
    return data_path.with_name(data_path.name + SIDECAR_SUFFIX)


def data_path_of(sidecar: str | Path) -> Path:
    """``bps/x.xlsx.meta.yml`` -> ``bps/x.xlsx``."""
    sidecar = Path(sidecar)
    return sidecar.with_name(sidecar.name[: -len(SIDECAR_SUFFIX)])


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class Provenance:
    """A checked sidecar. ``source_id`` is the data file's path relative to the raw folder."""

    source_id: str
    path: str
    kind: str
    title: str
    publisher: str
    url: str
    date_accessed: str
    period: str
    status: str
    sha256: str
    published: tuple[dict, ...] = field(default_factory=tuple)
    generated_by: str = ""
    license: str = ""
    note: str = ""

    def status_of(self, row: dict) -> str:
        """``published`` or ``illustrative`` for one output row (see module docstring)."""
        if self.status != "mixed":
            return self.status
        for entry in self.published:
            keys = {k: v for k, v in entry.items() if k not in _DESCRIPTIVE_KEYS}
            if keys and all(k in row and _text(row[k]) == _text(v) for k, v in keys.items()):
                return "published"
        return "illustrative"

    def sources_row(self) -> dict:
        """The row of the SOURCES table for this file."""
        return {
            "source_id": self.source_id,
            "path": self.path,
            "kind": self.kind,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "date_accessed": self.date_accessed,
            "period": self.period,
            "status": self.status,
            "sha256": self.sha256,
            "note": self.note,
        }


def read_provenance(
    data_path: str | Path, raw_root: str | Path | None = None, *, check_sha256: bool = True
) -> Provenance:
    """Read and check the sidecar of ``data_path``; :class:`InputError` with every problem.

    ``raw_root`` is the raw folder ``source_id`` is relative to (default: the file's folder).
    """
    data_path = Path(data_path)
    side = sidecar_path(data_path)
    root = Path(raw_root) if raw_root is not None else data_path.parent
    try:
        source_id = data_path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        source_id = data_path.name
    shown = source_id + SIDECAR_SUFFIX
    if not side.exists():
        raise InputError(
            Problem(shown, f"a provenance sidecar {side.name} beside {data_path.name} (see data/raw/README.md)")
        )
    try:
        meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(Problem(shown, f"valid YAML ({type(exc).__name__}: {str(exc).splitlines()[0]})")) from None
    if not isinstance(meta, dict):
        raise InputError(Problem(shown, "a YAML mapping of keys (kind, title, publisher, ...)"))
    problems: list[Problem] = []
    for key in REQUIRED_KEYS:
        if _text(meta.get(key)) == "":
            problems.append(
                Problem(
                    shown,
                    f"the required key '{key}' (missing or empty)",
                    column=key,
                    value=meta.get(key),
                    show_value=False,
                )
            )
    kind = _text(meta.get("kind"))
    if kind and kind not in KINDS:
        problems.append(Problem(shown, f"kind one of {', '.join(KINDS)}", column="kind", value=kind))
    status = _text(meta.get("status"))
    if status and status not in STATUSES:
        problems.append(Problem(shown, "status one of published, illustrative, mixed", column="status", value=status))
    published = meta.get("published") or []
    if status == "mixed":
        if not isinstance(published, list) or not published or not all(isinstance(e, dict) for e in published):
            problems.append(
                Problem(
                    shown,
                    "for status: mixed, a 'published' list of the published cells "
                    '(e.g. - {region_code: "35", year: 2021})',
                    column="published",
                    value=meta.get("published"),
                    show_value=False,
                )
            )
            published = []
    elif not isinstance(published, list):
        published = []
    declared = _text(meta.get("sha256")).lower()
    if not data_path.exists():
        problems.append(Problem(shown, f"the data file {data_path.name} beside its sidecar (not found)"))
    elif declared and check_sha256:
        actual = sha256_file(data_path)
        if actual != declared:
            problems.append(
                Problem(
                    source_id,
                    # "sha256 is <hex>": the word keeps the digits of "256" apart from a digest
                    # that starts with digits, which the NIK scrubber would otherwise hide
                    f"the content its sidecar records (its sha256 is {declared[:12]}…; the file's "
                    f"sha256 is {actual[:12]}…): the raw file was changed; raw files "
                    "are immutable (add a revised file with its own sidecar)",
                )
            )
    if problems:
        raise InputError(problems)
    return Provenance(
        source_id=source_id,
        path=source_id,
        kind=kind,
        title=_text(meta.get("title")),
        publisher=_text(meta.get("publisher")),
        url=_text(meta.get("url")),
        date_accessed=_text(meta.get("date_accessed")),
        period=_text(meta.get("period")),
        status=status,
        sha256=declared,
        published=tuple(dict(e) for e in published),
        generated_by=_text(meta.get("generated_by")),
        license=_text(meta.get("license")),
        note=_text(meta.get("note")),
    )
