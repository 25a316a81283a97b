"""The region registry: codes, official names, and resolving the names real files use.

The registry is a CSV (default: ``jamsos_lib/reference/regions.csv``, Jawa Timur and its
38 kab/kota). Other provinces are added by pointing ``JAMSOS_REGISTRY`` (or
``load_registry(paths)``) at more CSVs with the same columns; no code changes.

Registry CSV columns (schema :data:`REGISTRY_SCHEMA`):

=============  ==========================================================================
region_code    BPS/Kemendagri code without dots: ``"35"`` (province), ``"3513"`` (kab/kota)
province_code  two-digit province code (``"35"``)
type           ``Provinsi``, ``Kabupaten`` or ``Kota``
name           bare name (``Probolinggo``)
official_name  ``Kabupaten Probolinggo``
aliases        extra spellings, ``;``-separated (``KAB. PROBOLINGGO;KABUPATEN PROBOLINGGO``)
population     Dukcapil population (integer; used for illustrative apportioning)
tile_row/col   position in the province tile map (kab/kota only)
source         where codes and names come from
=============  ==========================================================================

Resolution (:meth:`RegionRegistry.resolve`) accepts ``KABUPATEN PROBOLINGGO``,
``KAB. PROBOLINGGO``, ``Kab Probolinggo``, ``Kabupaten Probolinggo``, ``KOTA
PROBOLINGGO``, ``Kota Probolinggo``, a bare name with a separate type, four-digit codes
(``3513``), dotted codes (``35.13``) and BPS two-digit codes (``13``, ``74``) under a
province. The seven bare names that are both a kabupaten and a kota are an error unless a
type or a code decides them; an unknown name is an error listing the closest names.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from jamsos_lib.paths import registry_files

REGISTRY_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}(\d{2})?$")),
        "province_code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$")),
        "type": pa.Column(str, pa.Check.isin(["Provinsi", "Kabupaten", "Kota"])),
        "name": pa.Column(str),
        "official_name": pa.Column(str),
        "aliases": pa.Column(str),
        "population": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "tile_row": pa.Column("Int64", nullable=True),
        "tile_col": pa.Column("Int64", nullable=True),
        "source": pa.Column(str),
    },
    unique=["region_code"],
    strict=False,
    name="region registry",
)

_TYPE_WORDS = {
    "KABUPATEN": "Kabupaten",
    "KAB": "Kabupaten",
    "KOTA": "Kota",
    "KOTAMADYA": "Kota",
    "KOTA ADMINISTRASI": "Kota",
    "KOTA ADM": "Kota",
    "PROVINSI": "Provinsi",
    "PROV": "Provinsi",
}
_TYPE_ALIASES = {
    "kabupaten": "Kabupaten",
    "kab": "Kabupaten",
    "kab.": "Kabupaten",
    "regency": "Kabupaten",
    "kota": "Kota",
    "city": "Kota",
    "kotamadya": "Kota",
    "provinsi": "Provinsi",
    "province": "Provinsi",
    "prov": "Provinsi",
}
_PREFIX = re.compile(r"^(KOTA ADMINISTRASI|KOTA ADM|KOTAMADYA|KABUPATEN|KAB|KOTA|PROVINSI|PROV)\b\s*(.*)$")
_CODE = re.compile(r"^(\d{2})(?:[.\s-]?(\d{2}))?$")


def normalise(text: str) -> str:
    """Upper-case, strip accents and dots, collapse white space: ``'Kab.  Probolinggo'`` -> ``'KAB PROBOLINGGO'``."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.replace(".", " ").replace("_", " ").replace(",", " ")
    return re.sub(r"\s+", " ", text).strip().upper()


def normalise_type(value: object) -> str | None:
    """Map a type cell (``Kab.``, ``kota``, ``Regency``) to ``Kabupaten``/``Kota``/``Provinsi``."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    key = str(value).strip().lower()
    if not key:
        return None
    return _TYPE_ALIASES.get(key) or _TYPE_ALIASES.get(key.rstrip("."))


def short_name(official_name: str) -> str:
    """``Kabupaten Probolinggo`` -> ``Kab. Probolinggo``; other names unchanged."""
    name = str(official_name)
    return "Kab. " + name[len("Kabupaten ") :] if name.startswith("Kabupaten ") else name


@dataclass(frozen=True)
class Region:
    code: str
    province_code: str
    type: str
    name: str
    official_name: str
    population: int | None = None

    @property
    def is_province(self) -> bool:
        return self.type == "Provinsi"

    @property
    def short_name(self) -> str:
        """Label for narrow places (phone tables, chart axes): ``Kab. Probolinggo``, ``Kota Batu``."""
        return short_name(self.official_name)

    @property
    def slug(self) -> str:
        """File-name slug: ``kabupaten-probolinggo``."""
        return re.sub(r"[^a-z0-9]+", "-", normalise(self.official_name).lower()).strip("-")


class UnresolvedRegion(ValueError):
    """A name or code that the registry cannot map to exactly one region."""

    def __init__(self, value: str, reason: str, suggestions: list[str] | None = None):
        self.value = value
        self.reason = reason
        self.suggestions = suggestions or []
        msg = f"{value!r}: {reason}"
        if self.suggestions:
            msg += "; closest: " + ", ".join(self.suggestions)
        super().__init__(msg)


class RegionRegistry:
    """Look-ups over a validated registry table (see module docstring for columns)."""

    def __init__(self, table: pd.DataFrame):
        table = table.copy()
        for col in ("region_code", "province_code"):
            table[col] = table[col].astype(str).str.strip()
        table["aliases"] = table.get("aliases", "").fillna("").astype(str)
        table["source"] = table.get("source", "").fillna("").astype(str)
        for col in ("population", "tile_row", "tile_col"):
            if col not in table:
                table[col] = pd.NA
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
        self.table = REGISTRY_SCHEMA.validate(table.reset_index(drop=True), lazy=True)
        self._by_code = {r.region_code: r for r in self.table.itertuples(index=False)}
        # normalised full names (with type) -> code; bare names -> list of codes
        self._full: dict[str, str] = {}
        self._bare: dict[tuple[str, str], list[str]] = {}
        for r in self.table.itertuples(index=False):
            names = {r.official_name, *[a for a in r.aliases.split(";") if a.strip()]}
            for n in names:
                self._full[normalise(n)] = r.region_code
            key = (r.province_code, normalise(r.name))
            self._bare.setdefault(key, []).append(r.region_code)
            self._bare.setdefault(("*", normalise(r.name)), []).append(r.region_code)

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_csv(cls, *csv_paths: str | os.PathLike) -> "RegionRegistry":
        frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in csv_paths]
        return cls(pd.concat(frames, ignore_index=True))

    # -- look-ups -----------------------------------------------------------------
    def region(self, code: str) -> Region:
        r = self._by_code.get(str(code).replace(".", "").strip())
        if r is None:
            raise UnresolvedRegion(str(code), "no region with this code in the registry")
        pop = None if pd.isna(r.population) else int(r.population)
        return Region(r.region_code, r.province_code, r.type, r.name, r.official_name, pop)

    def __contains__(self, code: object) -> bool:
        return str(code) in self._by_code

    def provinces(self) -> list[str]:
        return sorted(self.table.loc[self.table["type"] == "Provinsi", "region_code"])

    def kabkota(self, province_code: str | None = None) -> pd.DataFrame:
        """Kab/kota rows (optionally of one province), in code order."""
        t = self.table[self.table["type"] != "Provinsi"]
        if province_code is not None:
            t = t[t["province_code"] == str(province_code)]
        return t.sort_values("region_code").reset_index(drop=True)

    def kabkota_codes(self, province_code: str | None = None) -> list[str]:
        return list(self.kabkota(province_code)["region_code"])

    def official_name(self, code: str) -> str:
        return self.region(code).official_name

    # -- resolution ---------------------------------------------------------------
    def resolve(self, value: object, *, region_type: object = None, province: str | None = None) -> str:
        """Return the region code for a name or code as written in a real file.

        ``region_type`` is a separate type cell (``Kabupaten``/``Kota``/``Kab.``);
        ``province`` is the two-digit code that two-digit BPS codes and bare names
        live under. Raises :class:`UnresolvedRegion` with the reason and suggestions.
        """
        raw = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            raw = str(int(value))
        if not raw or raw.lower() == "nan":
            raise UnresolvedRegion(raw, "empty region name")
        rtype = normalise_type(region_type)
        prov = str(province).strip() if province not in (None, "") else None

        m = _CODE.match(raw.strip())
        if m:
            a, b = m.groups()
            if b is not None:
                code = a + b
            elif prov is not None and a != prov:
                code = prov + a
            else:
                code = a
            if code in self._by_code:
                self._check_type(raw, code, rtype)
                return code
            raise UnresolvedRegion(raw, f"no region with code {code} in the registry")

        norm = normalise(raw)
        # "Kab Probolinggo" style: prefix word(s) decide the type
        pm = _PREFIX.match(norm)
        if pm and pm.group(2):
            ptype = _TYPE_WORDS[pm.group(1)]
            bare = pm.group(2)
            if ptype == "Provinsi":
                codes = [c for c in self._bare.get(("*", bare), []) if self._by_code[c].type == "Provinsi"]
            else:
                codes = self._candidates(bare, prov)
                codes = [c for c in codes if self._by_code[c].type == ptype]
            if len(codes) == 1:
                self._check_type(raw, codes[0], rtype)
                return codes[0]
        if norm in self._full:
            code = self._full[norm]
            if prov is None or self._by_code[code].province_code == prov or code == prov:
                self._check_type(raw, code, rtype)
                return code
        codes = self._candidates(norm, prov)
        if rtype is not None:
            codes = [c for c in codes if self._by_code[c].type == rtype]
        if len(codes) == 1:
            return codes[0]
        if len(codes) > 1:
            names = [f"{self._by_code[c].official_name} ({c})" for c in codes]
            raise UnresolvedRegion(
                raw,
                "ambiguous: this bare name is both a kabupaten and a kota; give the type (Kabupaten/Kota) or the code",
                names,
            )
        raise UnresolvedRegion(raw, "not a region in the registry", self.suggest(raw, prov))

    def _candidates(self, bare_norm: str, prov: str | None) -> list[str]:
        codes = self._bare.get((prov or "*", bare_norm), [])
        return sorted(set(codes))

    def _check_type(self, raw: str, code: str, rtype: str | None) -> None:
        if rtype is not None and self._by_code[code].type != rtype:
            r = self._by_code[code]
            raise UnresolvedRegion(raw, f"the type column says {rtype} but {code} is {r.official_name}")

    def suggest(self, value: str, province: str | None = None, limit: int = 3) -> list[str]:
        """Closest official names to ``value`` (rapidfuzz), for error messages.

        rapidfuzz is imported here, for an error message: every page and kernel imports this
        module, and rapidfuzz's import (~35 ms) is only ever needed when a name is wrong."""
        from rapidfuzz import fuzz, process

        t = self.table if province is None else self.table[self.table["province_code"] == province]
        choices = {f"{r.official_name} ({r.region_code})": normalise(r.official_name) for r in t.itertuples()}
        choices.update(
            {
                f"{r.official_name} ({r.region_code})": normalise(r.name)
                for r in t.itertuples()
                if normalise(r.name) not in choices.values()
            }
        )
        hits = process.extract(normalise(value), choices, scorer=fuzz.WRatio, limit=limit * 2)
        out: list[str] = []
        for _choice, _score, key in hits:
            if key not in out:
                out.append(key)
        return out[:limit]

    def resolve_many(
        self, values, *, types=None, province: str | None = None
    ) -> tuple[list[str | None], list[UnresolvedRegion]]:
        """Resolve a column of names; return codes (None where unresolved) and every failure."""
        types = list(types) if types is not None else [None] * len(values)
        codes: list[str | None] = []
        errors: list[UnresolvedRegion] = []
        for v, t in zip(values, types):
            try:
                codes.append(self.resolve(v, region_type=t, province=province))
            except UnresolvedRegion as exc:
                codes.append(None)
                errors.append(exc)
        return codes, errors


@lru_cache(maxsize=8)
def _cached(paths_key: tuple[str, ...]) -> RegionRegistry:
    return RegionRegistry.from_csv(*paths_key)


def load_registry(*extra: str | os.PathLike) -> RegionRegistry:
    """The default registry plus any CSVs named in ``JAMSOS_REGISTRY`` or ``extra``."""
    return _cached(tuple(registry_files(*extra)))


def load_registry_files(files: list[str] | tuple[str, ...]) -> RegionRegistry:
    """The registry of exactly these CSVs (for example those a month's tables were computed
    with, :func:`registry_files` of that command); cached like :func:`load_registry`."""
    return _cached(tuple(str(f) for f in files))
