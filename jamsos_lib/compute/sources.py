"""The sources a page's figures actually come from.

:func:`used_sources` keeps the rows of ``sources.parquet`` whose ``source_id`` is carried by
a row the page uses: the participants, workers, eligibility, denominators and programmes of
the page's regions, the targets of those regions and the national ones, and the contribution
rates. A region page then lists its own sources, never another region's (a file that only
holds Kab. Trenggalek's published figures is not a source of Kota Surabaya's page).

:func:`cited_sources` goes one step further, to what a reader can look up: one row per
publication (a row's own address when it has one, else its file's source), with the real
publisher (named from the address's host, :func:`publisher_of`, or the file's publisher), its
date (published, else accessed) and what the page takes from it; and, apart, the estimates
jamsos made (rows marked illustrative), by method, never as a publisher.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import pandas as pd

from jamsos_lib import paths

#: tables whose rows belong to one region (``region_code``)
REGIONAL = ("participants", "workers", "eligibility", "denominators", "programmes")
#: every table a page's figures draw on, in the order their sources are described
CITED = ("participants", "denominators", "workers", "eligibility", "targets", "rates", "programmes")
#: the columns of :func:`cited_sources`
CITED_COLUMNS = ["publisher", "date", "date_kind", "title", "what", "regions", "url", "official", "estimate"]


def _rows(data, name: str, codes: set[str], periods: set[str] | None) -> pd.DataFrame:
    """The rows of table ``name`` that a page about ``codes`` uses (all rates; national targets)."""
    frame = getattr(data, name)
    if name == "rates":
        return frame
    if name == "targets":
        return frame[frame["region_code"].astype(str).isin(codes) | (frame["scope"] == "national")]
    rows = frame[frame["region_code"].astype(str).isin(codes)]
    if name == "participants" and periods is not None:
        rows = rows[rows["period"].astype(str).isin(periods)]
    return rows


def used_sources(data, region_codes: Iterable[str], periods: Iterable[str] | None = None) -> pd.DataFrame:
    """The rows of ``data.sources`` (same columns) used by figures about ``region_codes``
    (kab/kota and/or province codes), in their original order. ``periods``: the months of
    participants the page shows (None: all)."""
    codes = {str(c) for c in region_codes}
    months = None if periods is None else {str(p) for p in periods}
    ids: set[str] = set()
    for name in CITED:
        ids.update(_rows(data, name, codes, months)["source_id"].dropna().astype(str))
    sources = data.sources
    return sources[sources["source_id"].astype(str).isin(ids)]


def _is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


@lru_cache(maxsize=1)
def _publishers() -> tuple[tuple[str, str, bool], ...]:
    """``(host suffix, publisher, official)`` from ``reference/publishers.csv``, longest first."""
    with open(paths.REFERENCE / "publishers.csv", encoding="utf-8", newline="") as f:
        rows = [(r["host"].lower(), r["publisher"], r["official"] == "yes") for r in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def publisher_of(url: str) -> tuple[str, bool]:
    """The publisher of an address and whether it is an official one (BPS, BPJS
    Ketenagakerjaan, JDIH/peraturan, Kemnaker, a government ``.go.id`` site): the name from
    ``reference/publishers.csv`` for its host, else the host itself (``kabarbisnis.com``)."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, name, official in _publishers():
        if host == suffix or host.endswith("." + suffix):
            return name, official
    bare = host[4:] if host.startswith("www.") else host[2:] if host.startswith("m.") else host
    return bare, host.endswith(".go.id")


def official_publisher(name: str) -> bool:
    """Whether a publisher named in a file's metadata is an official one (a name of an
    official address in ``reference/publishers.csv``: ``BPS Provinsi Jawa Timur``,
    ``BPJS Ketenagakerjaan`` ...)."""
    return any(official and (name == known or name.startswith(known + " ")) for _host, known, official in _publishers())


def _published_dates(data) -> dict[str, str]:
    """The latest date each address was published, as far as the tables say: a UCJ
    denominator's ``published_on``, a participants row's ``published_on`` (else its month)."""
    dates: dict[str, str] = {}
    for name in ("denominators", "participants"):
        frame = getattr(data, name)
        if "source_url" not in frame:
            continue
        when = frame["published_on"] if "published_on" in frame else frame.get("period")
        if when is None:
            continue
        for url, date in zip(frame["source_url"].fillna("").astype(str), when.fillna("").astype(str)):
            if _is_url(url) and date > dates.get(url, ""):
                dates[url] = date
    return dates


def cited_sources(data, citations: Iterable[tuple]) -> pd.DataFrame:
    """One row per source the page's figures cite (:data:`CITED_COLUMNS`), from
    ``citations``: ``(what, reference, region_code, when, estimated)``, one per figure (or
    per table row) the page shows. ``what`` names the figure's kind (``participants``,
    ``denominator``, ``target``, ``rate``, ``programme``), ``reference`` its address or the
    ``source_id`` of its file (several joined with ``"; "``), ``when`` its month or year.

    A reference that is an address is cited by it: publisher from its host
    (:func:`publisher_of`), date the latest it was published (:func:`_published_dates`) or
    else the access date of the file that lists it. A ``source_id`` is cited by its file
    (``sources.parquet``: publisher, title, address, access date). An estimated figure is
    jamsos's own: one row per kind with ``estimate`` set, never a publisher. ``what`` holds
    ``(kind, first, last)`` per kind of figure taken from the source (months or years),
    ``regions`` the region names in order of citation. Official addresses first, then by
    publisher; estimates last.
    """
    files = data.sources.set_index(data.sources["source_id"].astype(str))
    listed = {}  # address -> the access date of a file listing it
    for name in CITED:
        frame = getattr(data, name)
        if "source_url" in frame:
            for url, sid in zip(frame["source_url"].fillna("").astype(str), frame["source_id"].astype(str)):
                if _is_url(url) and url not in listed and sid in files.index:
                    listed[url] = str(files.loc[sid, "date_accessed"] or "")
    published = _published_dates(data)
    lines: dict[str, dict] = {}
    for what, reference, region, when, estimated in citations:
        refs = [""] if estimated else [r.strip() for r in str(reference or "").split(";") if r.strip()]
        for ref in refs:
            if estimated:
                key, line = f"estimate:{what}", {"estimate": what, "publisher": "jamsos"}
            elif _is_url(ref):
                name, official = publisher_of(ref)
                date = published.get(ref, "")
                key, line = (
                    ref,
                    {
                        "publisher": name,
                        "url": ref,
                        "official": official,
                        "date": date or listed.get(ref, ""),
                        "date_kind": "published" if date else "accessed",
                    },
                )
            elif ref in files.index:
                file = files.loc[ref]
                address = str(file["url"]) if _is_url(file["url"]) else ""
                key = f"file:{file['publisher']}|{file['title']}|{address}"
                line = {
                    "publisher": str(file["publisher"]),
                    "url": address,
                    "title": str(file["title"]),
                    "official": official_publisher(str(file["publisher"]))
                    or bool(address and publisher_of(address)[1]),
                    "date": str(file["date_accessed"] or ""),
                    "date_kind": "accessed",
                }
            else:
                continue
            entry = lines.setdefault(
                key, {k: "" for k in CITED_COLUMNS} | {"official": False, "what": {}, "regions": []} | line
            )
            spans = entry["what"].setdefault(what, [])
            if region and str(region) not in entry["regions"]:
                entry["regions"].append(str(region))
            if when is not None and not pd.isna(when) and str(when):
                spans.append(str(when))
    out = []
    for entry in lines.values():
        what = tuple((kind, min(spans, default=""), max(spans, default="")) for kind, spans in entry["what"].items())
        out.append(entry | {"what": what, "regions": tuple(entry["regions"])})
    frame = pd.DataFrame(out, columns=CITED_COLUMNS)
    if frame.empty:
        return frame
    frame["official"] = frame["official"].astype(bool)
    order = frame.assign(_e=frame["estimate"].ne(""), _o=~frame["official"], _p=frame["publisher"].str.lower())
    return frame.loc[order.sort_values(["_e", "_o", "_p", "date"], kind="stable").index].reset_index(drop=True)
