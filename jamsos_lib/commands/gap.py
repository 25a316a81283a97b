"""``jamsos gap``: gap to target per kab/kota and province, with the trend projection.

Columns of ``--format csv|json``: those of :data:`jamsos_lib.compute.targets.GAP_TABLE_SCHEMA`,
among them the target's year, level, series, document, basis and source address
(``target_year``, ``target_level``, ``target_series``, ``target_document``, ``target_basis``,
``target_source_url``), whether it is comparable with the coverage, the province and
national targets of the same year and the long-horizon target shown apart. The rows are
the month table ``gap`` (what the pages and the index show) unless ``--national-series`` or
``--trend-months`` ask for other options (:func:`gap_frame`).
"""

from __future__ import annotations

from functools import partial

from jamsos_lib.commands import _common
from jamsos_lib.compute.constants import NATIONAL_SERIES

#: the options of the pages' gap table (``targets.gap_table``'s defaults)
DEFAULT_SERIES, DEFAULT_TREND_MONTHS = "RPJMN", 12

#: the series of a target, as a reader knows it (the regional plans keep their own names)
SERIES_LABELS = {
    "id": {"PROVINCE": "Provinsi", "BRANCH": "Kantor cabang", "KEMENDAGRI_UCJ": "Kemendagri UCJ"},
    "en": {"PROVINCE": "Province", "BRANCH": "Branch office", "KEMENDAGRI_UCJ": "Kemendagri UCJ"},
}

HEADERS = {
    "id": [
        "Kode",
        "Kabupaten/Kota",
        "Cakupan",
        "Target",
        "Tahun",
        "Sumber",
        "Dasar",
        "Selisih",
        "Kurang (orang)",
        "Perlu/bulan",
        "Tren/bulan",
        "Proyeksi",
        "Status",
    ],
    "en": [
        "Code",
        "Region",
        "Coverage",
        "Target",
        "Year",
        "Source",
        "Basis",
        "Gap",
        "Short (persons)",
        "Needed/month",
        "Trend/month",
        "Projected",
        "Status",
    ],
}


def register(sub) -> None:
    p = sub.add_parser("gap", help="gap to target per kab/kota and province, with a trend projection")
    _common.add_data_options(p)
    _common.add_denominator_option(p)
    p.add_argument(
        "--national-series",
        choices=NATIONAL_SERIES[:3],
        default=DEFAULT_SERIES,
        help="national target series used when a region and its province have none (default RPJMN)",
    )
    p.add_argument(
        "--trend-months",
        type=int,
        default=DEFAULT_TREND_MONTHS,
        metavar="N",
        help="months of the Theil-Sen trend (default 12)",
    )
    p.set_defaults(func=run)


def table_view(frame, lang: str = "id") -> str:
    from jamsos_lib.compute.targets import AT_RISK_PP, STATUS_LABELS, STATUS_LABELS_EN, basis_label
    from jamsos_lib.present import fmt
    from jamsos_lib.present.text_table import Column, render, text

    label_to_status = {label: status for status, label in STATUS_LABELS.items()}
    num = partial(fmt.number, lang=lang)
    pct = partial(fmt.percent, lang=lang, digits=2)

    def gap_pp(x):
        return fmt.NA_TEXT if fmt.is_na(x) else f"{fmt.number(x, lang, 2)} pp"

    def status(label):
        return label if lang == "id" else STATUS_LABELS_EN.get(label_to_status.get(label, ""), label)

    shown = frame.assign(
        projected=[_projected(r, lang) for r in frame.to_dict("records")],
        target_series=[SERIES_LABELS[lang].get(x, x) if isinstance(x, str) else x for x in frame["target_series"]],
        target_basis=[basis_label(x, lang) if isinstance(x, str) and x else x for x in frame["target_basis"]],
    )
    names = [
        "region_code",
        "region_name",
        "coverage_pct",
        "target_pct",
        "target_year",
        "target_series",
        "target_basis",
        "gap_pp",
        "gap_persons",
        "needed_per_month",
        "trend_per_month",
        "projected",
        "status_label",
    ]
    formats = [text, text, pct, pct, text, text, text, gap_pp, num, num, partial(fmt.signed, lang=lang), text, status]
    left = {"region_code", "region_name", "target_series", "target_basis", "status_label"}
    columns = [Column(n, h, f, "left" if n in left else "right") for n, h, f in zip(names, HEADERS[lang], formats)]
    period = frame["period"].iloc[0]
    method = frame["trend_method"].iloc[0]
    if lang == "id":
        title = f"Selisih terhadap target cakupan BPJS Ketenagakerjaan, {fmt.month_name(period)}"
        footer = [
            "Target: target tahun ini saja (daerah → provinsi → nasional); target jangka panjang (RPJPD 2045) "
            "tidak pernah dipakai sebagai target tahun ini. Dasar: penyebut tempat target ditetapkan; "
            "Tak sebanding = target atas penyebut lain, tidak dibandingkan.",
            "Status: Sesuai jalur = pada laju ini target tercapai di akhir tahun target; Berisiko = kurang "
            f"paling banyak {AT_RISK_PP:g} poin persen; Tertinggal = kurang lebih dari itu. Proyeksi: bulan "
            "bila tercapai dalam tahun target, sesudahnya hanya tahun.",
            _method_id(method),
        ]
    else:
        title = f"Gap to the BPJS Ketenagakerjaan coverage target, {fmt.month_name(period, 'en')}"
        footer = [
            "Target: this year's target only (region → province → national); a long-horizon target (RPJPD "
            "2045) is never used as this year's. Basis: the denominator the target was set on; not "
            "comparable = a target on another denominator, not compared.",
            "Status: on track = at this pace the target is reached by the end of the target year; at risk = "
            f"short by at most {AT_RISK_PP:g} percentage points; off track = short by more. Projected: a month "
            "within the target year, only the year beyond it.",
            f"Trend method: {method}",
        ]
    return render(shown, columns, title=title, footer=_common.illustrative_banner(frame, lang, "data_status") + footer)


def _method_id(method: str) -> str:
    """The trend method (written in English by ``gap_table``) said in Indonesian."""
    import re

    months = re.search(r"last (\d+) months", str(method))
    span = f"{months.group(1)} bulan terakhir" if months else "bulan-bulan terakhir"
    return (
        f"Metode tren: kemiringan Theil–Sen (median kemiringan antara setiap dua bulan) atas jumlah peserta "
        f"{span}; proyeksi: jumlah peserta bulan ini + kemiringan × bulan, terhadap penyebut yang tetap "
        "sampai akhir tahun target"
    )


def _projected(row: dict, lang: str) -> str:
    """The month the target is reached within its year, else only the year."""
    from jamsos_lib.present import fmt

    if isinstance(row.get("projected_reach_period"), str) and row["projected_reach_period"]:
        return fmt.month_short(row["projected_reach_period"], lang)
    return fmt.NA_TEXT if fmt.is_na(row.get("projected_reach_year")) else str(int(row["projected_reach_year"]))


def gap_frame(args, data):
    """The month table ``gap`` (what the pages and the index show); with another
    ``--national-series`` or ``--trend-months`` than the pages use, the same function
    (``targets.gap_table``) with those options."""
    from jamsos_lib.compute.targets import gap_table

    trend_months = getattr(args, "trend_months", DEFAULT_TREND_MONTHS)
    if args.national_series == DEFAULT_SERIES and trend_months == DEFAULT_TREND_MONTHS:
        return _common.month_tables(args, data, "gap")["gap"]
    return gap_table(
        data,
        _common.period_of(args, data),
        denominator=args.denominator,
        national_series=args.national_series,
        trend_months=trend_months,
    )


def run(args) -> int:
    data = _common.open_data(args)
    frame = gap_frame(args, data)
    return _common.emit(args, frame, lambda: table_view(frame, args.lang))
