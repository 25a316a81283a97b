"""The processed data set: what ``jamsos clean`` writes and every later stage reads.

``data/processed/`` holds one Parquet file per table in :data:`jamsos_lib.validate.schemas.TABLES`
(``workers.parquet``, ``participants.parquet``, ``eligibility.parquet``, ``denominators.parquet``, ``targets.parquet``,
``rates.parquet``, ``programmes.parquet``, ``sources.parquet``, ``quality.parquet``) plus ``manifest.json``
(input hashes, package version, git commit, time). Tables are validated against their
schema when loaded, so a hand-edited or stale file fails here with a clear message rather
than deep inside a report.

Nothing computed from the tables is cached here: month-wide figures are computed once per
month by :mod:`jamsos_lib.compute.month`, which hands what it computed to the next function
explicitly, and pages read those tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pandera.errors

from jamsos_lib import paths
from jamsos_lib.errors import JamsosError
from jamsos_lib.regions import RegionRegistry, load_registry
from jamsos_lib.validate.schemas import TABLES

MANIFEST = "manifest.json"


@dataclass
class Dataset:
    """Lazy access to the processed tables of one folder."""

    folder: Path = field(default_factory=lambda: paths.PROCESSED)
    registry: RegionRegistry = field(default_factory=load_registry)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        if not (self.folder / MANIFEST).exists():
            raise JamsosError(f"no processed data in {self.folder} (manifest.json missing): run 'jamsos clean' first")

    def _load(self, name: str) -> pd.DataFrame:
        path = self.folder / f"{name}.parquet"
        if not path.exists():
            raise JamsosError(f"{path} is missing: run 'jamsos clean' again")
        try:
            frame = pd.read_parquet(path)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise JamsosError(
                f"{path} is not a readable Parquet table ({type(exc).__name__}: "
                f"{str(exc)[:200]}); run 'jamsos clean' again"
            ) from None
        try:
            return TABLES[name].validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases.head(5).to_dict("records")
            raise JamsosError(f"{path} does not match the '{name}' schema: {cases}; run 'jamsos clean' again") from None

    @cached_property
    def workers(self) -> pd.DataFrame:
        return self._load("workers")

    @cached_property
    def participants(self) -> pd.DataFrame:
        return self._load("participants")

    @cached_property
    def eligibility(self) -> pd.DataFrame:
        return self._load("eligibility")

    @cached_property
    def denominators(self) -> pd.DataFrame:
        """Published UCJ denominators, one row per region and year of use (schema
        ``DENOMINATOR_ROWS``; empty when the raw folder has none)."""
        return self._load("denominators")

    @cached_property
    def targets(self) -> pd.DataFrame:
        return self._load("targets")

    @cached_property
    def rates(self) -> pd.DataFrame:
        return self._load("rates")

    @cached_property
    def programmes(self) -> pd.DataFrame:
        return self._load("programmes")

    @cached_property
    def sources(self) -> pd.DataFrame:
        return self._load("sources")

    @cached_property
    def quality(self) -> pd.DataFrame:
        return self._load("quality")

    @cached_property
    def manifest(self) -> dict:
        return json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))

    @property
    def periods(self) -> list[str]:
        """Months with participation data, sorted (``YYYY-MM``)."""
        return list(self._periods)

    @cached_property
    def _periods(self) -> tuple[str, ...]:
        # asked for by every table function (check_period) several times a page
        return tuple(sorted(self.participants["period"].unique()))

    @property
    def latest_period(self) -> str:
        return self.periods[-1]

    def check_period(self, period: str | None) -> str:
        """The period itself if present in the data, the latest one if ``None``; else a clear error."""
        if period is None:
            return self.latest_period
        if period not in set(self.periods):
            raise JamsosError(
                f"period {period!r} is not in the processed data (available: {self.periods[0]} .. {self.periods[-1]})"
            )
        return period


def load(folder: str | Path | None = None) -> Dataset:
    """Open the processed data set in ``folder`` (default ``data/processed``)."""
    return Dataset(Path(folder) if folder else paths.PROCESSED)
