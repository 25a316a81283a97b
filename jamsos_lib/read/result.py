"""What every reader returns, and the per-row status/source columns they all add.

A reader returns a :class:`ReadResult`: its tidy tables (keyed by the processed table name,
``"workers"``, ``"participants"``, ...; each already validated against its schema in
:mod:`jamsos_lib.validate.schemas`) and the warnings it found. Errors are never returned:
they are raised together as one :class:`~jamsos_lib.errors.InputError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from jamsos_lib.errors import InputError, Problem
from jamsos_lib.read.provenance import Provenance


@dataclass
class ReadResult:
    tables: dict[str, pd.DataFrame]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(t) for t in self.tables.values())


def add_status(frame: pd.DataFrame, provenance: Provenance | None, fallback_source: str) -> pd.DataFrame:
    """Add ``status`` (per row, from the sidecar; ``illustrative`` when there is no sidecar,
    so an unknown figure is never presented as a statistic) and ``source_id``."""
    frame = frame.copy()
    if provenance is None:
        frame["status"] = "illustrative"
        frame["source_id"] = fallback_source
    else:
        frame["status"] = [provenance.status_of(r) for r in frame.to_dict("records")] if len(frame) else []
        frame["source_id"] = provenance.source_id
    frame["status"] = frame["status"].astype(str)
    frame["source_id"] = frame["source_id"].astype(str)
    return frame


def check_schema(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str) -> pd.DataFrame:
    """Validate a reader's output at the boundary; failures become Problems naming the file."""
    try:
        return schema.validate(frame.reset_index(drop=True), lazy=True)
    except pandera.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.head(20).to_dict("records"):
            problems.append(
                Problem(
                    file,
                    f"table '{schema.name}' to satisfy {case.get('check')} "
                    f"(column {case.get('column')}, value {case.get('failure_case')})",
                )
            )
        raise InputError(problems) from None
