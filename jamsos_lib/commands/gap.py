"""``jamsos gap``: gap to target per kab/kota and province, with the trend projection.

Columns of ``--format csv|json``: those of :data:`jamsos_lib.compute.targets.GAP_TABLE_SCHEMA`.
"""

from __future__ import annotations

from functools import partial

from jamsos_lib.commands import _common
from jamsos_lib.compute.constants import NATIONAL_SERIES

HEADERS = {
    "id": ["Kode", "Kabupaten/Kota", "Cakupan", "Target", "Tahun", "Sumber", "Selisih", "Kurang (orang)",
           "Perlu/bulan", "Tren/bulan", "Proyeksi", "Status"],
    "en": ["Code", "Region", "Coverage", "Target", "Year", "Source", "Gap", "Short (persons)",
           "Needed/month", "Trend/month", "Projected", "Status"],
}


def register(sub) -> None:
    p = sub.add_parser("gap", help="gap to target per kab/kota and province, with a trend projection")
    _common.add_data_options(p)
    _common.add_denominator_option(p)
    p.add_argument("--national-series", choices=NATIONAL_SERIES[:3], default="RPJMN",
                   help="national target series used when a region and its province have none (default RPJMN)")
    p.add_argument("--trend-months", type=int, default=12, metavar="N",
                   help="months of the linear trend fit (default 12)")
    p.set_defaults(func=run)


def table_view(frame, lang: str = "id") -> str:
    from jamsos_lib.compute.targets import STATUS_LABELS, STATUS_LABELS_EN
    from jamsos_lib.present import fmt
    from jamsos_lib.present.text_table import Column, render, text

    label_to_status = {label: status for status, label in STATUS_LABELS.items()}
    num = partial(fmt.number, lang=lang)
    pct = partial(fmt.percent, lang=lang, digits=2)

    def gap_pp(x):
        return fmt.NA_TEXT if fmt.is_na(x) else f"{fmt.number(x, lang, 2)} pp"

    def status(label):
        return label if lang == "id" else STATUS_LABELS_EN.get(label_to_status.get(label, ""), label)

    names = ["region_code", "region_name", "coverage_pct", "target_pct", "target_year", "target_series", "gap_pp",
             "gap_persons", "needed_per_month", "trend_per_month", "projected_reach_period", "status_label"]
    formats = [text, text, pct, pct, text, text, gap_pp, num, num, partial(fmt.signed, lang=lang),
               partial(fmt.month_short, lang=lang), status]
    left = {"region_code", "region_name", "target_series", "status_label"}
    columns = [Column(n, h, f, "left" if n in left else "right") for n, h, f in zip(names, HEADERS[lang], formats)]
    period = frame["period"].iloc[0]
    method = frame["trend_method"].iloc[0]
    if lang == "id":
        title = f"Selisih terhadap target cakupan BPJS Ketenagakerjaan, {fmt.month_name(period)}"
        footer = ["Status: Sesuai jalur = tren ≥ kebutuhan/bulan; Berisiko = tren ≥ 50% kebutuhan; "
                  "Tertinggal = di bawahnya atau menurun.", f"Metode tren: {method}"]
    else:
        title = f"Gap to the BPJS Ketenagakerjaan coverage target, {fmt.month_name(period, 'en')}"
        footer = ["Status: on track = trend ≥ needed per month; at risk = trend ≥ 50% of needed; "
                  "off track = below that or declining.", f"Trend method: {method}"]
    return render(frame, columns, title=title,
                  footer=_common.illustrative_banner(frame, lang, "data_status") + footer)


def run(args) -> int:
    from jamsos_lib.compute.targets import gap_table

    data = _common.open_data(args)
    period = _common.period_of(args, data)
    frame = gap_table(data, period, denominator=args.denominator, national_series=args.national_series,
                      trend_months=args.trend_months)
    return _common.emit(args, frame, lambda: table_view(frame, args.lang))
