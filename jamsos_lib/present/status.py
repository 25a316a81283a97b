"""Published or estimate, figure by figure (issue 12, "status per figure").

A headline figure says next to the number whether it is **published** (with its source)
or an **estimate** (with its method). A figure built only from published rows is
published: a coverage row of :func:`jamsos_lib.compute.coverage.coverage_table` is
published when its ``participants_status`` and ``denominator_status`` are. The page's
banner appears only when a headline figure is an estimate and names which; estimates
elsewhere on the page (other regions in the ranking, other months in the trend) get a
plain note instead. A region and month without participant data says so plainly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

import pandas as pd
from IPython.display import HTML

from jamsos_lib.present import fmt

_TEXT = {
    "id": {
        "published": "resmi",
        "estimate": "estimasi",
        "participants": "peserta",
        "denominator": "penyebut",
        "participants_estimate": "peserta ilustratif (dibangkitkan melewati angka terbit terdekat)",
        "share_estimate": "≈ {share} × penduduk bekerja BPS Agustus {year} (perkiraan pekerja di luar ASN/TNI/Polri "
        "dari penyebut UCJ yang terbit)",
        "bps_of": "penduduk bekerja BPS Agustus {year}",
        "bps_source": "sumber: BPS, Sakernas Agustus {year}",
        "see_sources": "lihat \u201cSumber data\u201d",
        "method_bps_employed": "seluruh penduduk bekerja",
        "method_excluding_asn_tni_polri": "pekerja di luar ASN/TNI/Polri",
        "method_ktp_domicile": "penduduk bekerja ber-KTP daerah",
        "banner_body": "Angka utama berikut adalah estimasi, bukan statistik resmi; jangan mengutipnya sebagai "
        "statistik:",
        "banner_details": "Cara estimasinya",
        "others_note": "Angka utama halaman ini resmi. Peringkat, tabel dan grafik tren juga memuat angka estimasi "
        "untuk daerah atau bulan lain; statusnya ada pada tiap baris dan di bagian \u201cSumber data\u201d.",
        "no_data": "Belum ada data peserta BPJS Ketenagakerjaan untuk {region} pada {month}: angka cakupan "
        "tidak dapat dihitung.",
        "coverage": "Cakupan",
        "data": "Data",
        "change_denominator": "Δ bulan dari penyebut",
        "median_note": "estimasi kab/kota tanpa penyebut terbit memakai median bagian terbit {share}",
        "some_data": "Data peserta hanya ada untuk {n} dari {total} kabupaten/kota pada {month}: tidak ada angka "
        "provinsi (jumlah sebagian daerah bukan angka provinsi).",
    },
    "en": {
        "published": "published",
        "estimate": "estimate",
        "participants": "participants",
        "denominator": "denominator",
        "participants_estimate": "illustrative participants (generated through the nearest published figures)",
        "share_estimate": "≈ {share} × BPS employed August {year} (estimated workers outside ASN/TNI/Polri from the "
        "published UCJ denominators)",
        "bps_of": "BPS employed August {year}",
        "bps_source": "source: BPS, Sakernas August {year}",
        "see_sources": "see \u201cData sources\u201d",
        "method_bps_employed": "all employed",
        "method_excluding_asn_tni_polri": "workers outside ASN/TNI/Polri",
        "method_ktp_domicile": "employed by KTP domicile",
        "banner_body": "These headline figures are estimates, not official statistics; do not cite them as statistics:",
        "banner_details": "How they are estimated",
        "others_note": "This page's headline figures are published. The ranking, tables and trend chart also show "
        "estimates for other regions or months; each row's status and the \u201cData sources\u201d "
        "section say which.",
        "no_data": "No BPJS Ketenagakerjaan participant data for {region} in {month}: coverage cannot be computed.",
        "coverage": "Coverage",
        "data": "Data",
        "change_denominator": "Δ month from the denominator",
        "median_note": "kab/kota without a published denominator use the median published share {share}",
        "some_data": "Participant data for only {n} of {total} kab/kota in {month}: no province figure (a sum over "
        "some regions is not a province figure).",
    },
}


def _t(labels, key: str) -> str:
    return _TEXT.get(getattr(labels, "lang", "id"), _TEXT["id"])[key]


def label(key: str, labels) -> str:
    """A short label: a row's data status (``published``/``illustrative`` -> resmi/estimasi),
    ``data`` (the column header) or ``change_denominator`` (the header of the denominator's
    share of the monthly change)."""
    key = {"illustrative": "estimate"}.get(key, key)
    return _t(labels, key) if key in _TEXT["id"] else key


def _row(coverage: pd.DataFrame, region_code: str) -> Mapping | None:
    rows = coverage[coverage["region_code"] == str(region_code)]
    return None if rows.empty else rows.iloc[0].to_dict()


def _source(text: object, labels) -> str:
    """A figure's source named for a reader: the publisher of each address (``ANTARA
    Jatim``, ``kabarbisnis.com``); a data file is never named by its path but sent to the
    page's sources list."""
    from jamsos_lib.compute.sources import publisher_of

    refs = [r.strip() for r in ("" if fmt.is_na(text) else str(text)).split(";") if r.strip()]
    names = dict.fromkeys(publisher_of(r)[0] for r in refs if r.startswith(("http://", "https://")))
    if names:
        return ", ".join(names)
    return _t(labels, "see_sources") if refs else ""


def is_published(row: Mapping) -> bool:
    """True when the coverage figure of ``row`` is built only from published rows."""
    return (
        row.get("participants_status") == "published"
        and row.get("denominator_status") == "published"
        and not fmt.is_na(row.get("coverage_pct"))
    )


def denominator_text(row: Mapping, labels) -> str:
    """How the denominator of ``row`` was made, in the page's language."""
    lang = getattr(labels, "lang", "id")
    method = _t(labels, f"method_{row.get('denominator_method', 'bps_employed')}")
    year = row.get("workers_year")
    value = fmt.number(row.get("denominator"), lang)
    if row.get("denominator_status") != "published":
        workers = row.get("workers")
        share = "" if fmt.is_na(workers) or not workers else fmt.number(row["denominator"] / workers, lang, 2)
        return f"{value}: " + _t(labels, "share_estimate").format(share=share, year=year)
    source = row.get("denominator_source")
    from_bps = not str(source or "").startswith(("http://", "https://"))
    source = "" if from_bps else _source(source, labels)
    bps = "" if fmt.is_na(year) else _t(labels, "bps_source" if from_bps else "bps_of").format(year=int(year))
    workers = row.get("workers")
    if row.get("denominator_method") == "excluding_asn_tni_polri" and not fmt.is_na(workers) and workers and bps:
        # how a published denominator relates to BPS, and to the estimates of the other regions
        bps = f"= {fmt.number(row['denominator'] / workers, lang, 2)} × {bps}"
        median = re.search(r"median (\d+\.\d+)", str(row.get("denominator_basis", "")))
        if median:
            bps += "; " + _t(labels, "median_note").format(share=fmt.number(float(median.group(1)), lang, 2))
    parts = [p for p in (method, bps, source) if p]
    return f"{value} ({'; '.join(parts)})"


def coverage_note(row: Mapping, labels) -> str:
    """``resmi — peserta: <source>; penyebut: <value> (<method>; <source>)`` or
    ``estimasi — peserta ilustratif (...); penyebut ...`` for the coverage figure of ``row``."""
    if fmt.is_na(row.get("participants")):
        return ""
    status = _t(labels, "published") if is_published(row) else _t(labels, "estimate")
    if row.get("participants_status") == "published":
        participants = f"{_t(labels, 'participants')}: {_source(row.get('participants_source'), labels)}"
    else:
        participants = _t(labels, "participants_estimate")
    return f"{status} — {participants}; {_t(labels, 'denominator')}: {denominator_text(row, labels)}"


def headline_estimates(coverage: pd.DataFrame, region_code: str, labels) -> list[str]:
    """The headline figures of a region's page that are estimates, each named with its value."""
    row = _row(coverage, region_code)
    if row is None or fmt.is_na(row.get("coverage_pct")) or is_published(row):
        return []
    value = fmt.percent(row["coverage_pct"], getattr(labels, "lang", "id"), 2)
    return [f"{_t(labels, 'coverage')} {value}: {coverage_note(row, labels)}"]


def others_estimated(*tables: pd.DataFrame) -> bool:
    """True when any other row shown (ranking, trend) is an estimate."""
    return any(col in t and bool((t[col] == "illustrative").any()) for t in tables for col in ("status", "data_status"))


def banner(coverage: pd.DataFrame, region_code: str, labels, *others: pd.DataFrame) -> HTML:
    """The estimates banner for a region's page (see the module docstring): the banner when a
    headline figure is an estimate, a plain note when only other rows shown are, a plain
    "no data" line when the region has no participant data for the month, else nothing."""
    row = _row(coverage, region_code)
    if row is not None and fmt.is_na(row.get("participants")):
        month = fmt.month_name(row["period"], getattr(labels, "lang", "id")) if "period" in row else ""
        some = re.search(r"only (\d+) of (\d+) kab/kota", str(row.get("note", "")))
        text = (
            _t(labels, "some_data").format(n=some.group(1), total=some.group(2), month=month)
            if some
            else _t(labels, "no_data").format(region=row.get("region_name", region_code), month=month)
        )
        return HTML(f'<p class="note jamsos-no-data">{escape(text)}</p>')
    estimates = headline_estimates(coverage, region_code, labels)
    if estimates:
        # the figures named on one line (short, so the decision below stays on a phone's first
        # screen); how each is estimated in a details block, open on request
        named = "; ".join(escape(e.split(":", 1)[0]) for e in estimates)
        items = "".join(f"<li>{escape(e)}</li>" for e in estimates)
        return HTML(
            '<div class="jamsos-banner" role="alert">'
            f"<strong>{escape(labels['banner_title'])}</strong>"
            f"<p>{escape(_t(labels, 'banner_body'))} {named}.</p>"
            f"<details><summary>{escape(_t(labels, 'banner_details'))}</summary><ul>{items}</ul></details>"
            "</div>"
        )
    if others_estimated(coverage, *others):
        return HTML(f'<p class="note jamsos-estimates-note">{escape(_t(labels, "others_note"))}</p>')
    return HTML("")
