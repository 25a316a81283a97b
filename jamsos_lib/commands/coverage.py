"""``jamsos coverage``: coverage per kab/kota and province for one month.

Columns of ``--format csv|json``: those of
:data:`jamsos_lib.compute.coverage.COVERAGE_TABLE_SCHEMA`. The rows are the month table
``coverage`` (:func:`jamsos_lib.commands._common.month_tables`): what the pages show.
"""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

from jamsos_lib.commands import _common

HEADERS = {
    "id": [
        "Kode",
        "Kabupaten/Kota",
        "PU",
        "BPU",
        "Jakon",
        "PMI",
        "Peserta",
        "Penyebut",
        "Cakupan",
        "Δ bulan",
        "Δ tahun",
        "Peringkat",
        "Data",
    ],
    "en": [
        "Code",
        "Region",
        "PU",
        "BPU",
        "Jakon",
        "PMI",
        "Participants",
        "Denominator",
        "Coverage",
        "Δ month",
        "Δ year",
        "Rank",
        "Data",
    ],
}


def register(sub) -> None:
    p = sub.add_parser("coverage", help="coverage per kab/kota and province for a month")
    _common.add_data_options(p)
    _common.add_denominator_option(p)
    p.set_defaults(func=run)


def table_view(frame, lang: str = "id") -> str:
    from jamsos_lib.present import fmt
    from jamsos_lib.present.text_table import Column, render, text

    num = partial(fmt.number, lang=lang)
    names = [
        "region_code",
        "region_name",
        "pu",
        "bpu",
        "jakon",
        "pmi",
        "participants",
        "denominator",
        "coverage_pct",
        "change_mom_pp",
        "change_yoy_pp",
        "rank",
        "status",
    ]
    from jamsos_lib.present.status import label

    formats = [
        text,
        text,
        num,
        num,
        num,
        num,
        num,
        num,
        partial(fmt.percent, lang=lang, digits=2),
        partial(fmt.pp, lang=lang, digits=2),
        partial(fmt.pp, lang=lang, digits=2),
        num,
        lambda s: text(label(s, SimpleNamespace(lang=lang)) if isinstance(s, str) else s),
    ]
    columns = [
        Column(n, h, f, "left" if n in ("region_code", "region_name", "status") else "right")
        for n, h, f in zip(names, HEADERS[lang], formats)
    ]
    first = frame.iloc[0]
    years = sorted({int(y) for y in frame["workers_year"].dropna()})
    labels = _common.DENOMINATOR_LABELS[lang]
    methods = [labels.get(m, m) for m in sorted(set(frame["denominator_method"]))]
    basis = f"{labels[first['denominator_kind']]} ({', '.join(methods)})"
    if lang == "id":
        title = (
            f"Cakupan kepesertaan BPJS Ketenagakerjaan, {fmt.month_name(first['period'])}\n"
            f"Penyebut: {basis}; BPS Sakernas {', '.join(map(str, years)) or '–'}"
        )
    else:
        title = (
            f"BPJS Ketenagakerjaan coverage, {fmt.month_name(first['period'], 'en')}\n"
            f"Denominator: {basis}; BPS Sakernas {', '.join(map(str, years)) or '–'}"
        )
    from jamsos_lib.present.labels import Labels

    notes = [f"{r.region_code} {r.region_name}: {Labels(lang).note(r.note)}" for r in frame.itertuples() if r.note]
    footer = _common.illustrative_banner(frame, lang) + [
        ("Catatan: " if lang == "id" else "Notes: ") + n for n in notes[:10]
    ]
    if len(notes) > 10:
        footer.append(
            f"… {len(notes) - 10} "
            + ("catatan lagi (lihat --format csv)" if lang == "id" else "more notes (see --format csv)")
        )
    return render(frame, columns, title=title, footer=footer)


def run(args) -> int:
    data = _common.open_data(args)
    frame = _common.month_tables(args, data, "coverage")["coverage"]
    return _common.emit(args, frame, lambda: table_view(frame, args.lang))
