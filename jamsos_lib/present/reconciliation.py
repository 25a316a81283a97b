"""Publishing the reconciliation: small-cell suppression of the computed tables and the
Indonesian data-quality notes that region reports show.

:func:`publish` is the only way a reconciliation result leaves the library: it turns the
unsuppressed :class:`jamsos_lib.compute.reconcile.Result` into the tables
``jamsos reconcile`` writes (schemas in :mod:`jamsos_lib.validate.reconciliation`), with
the rule of :mod:`jamsos_lib.present.privacy` applied, and writes the report notes from
the **suppressed** figures only, so ``compute/quality.py`` and the notebooks never see a
count below 10 or a NIK.
"""

from __future__ import annotations

import pandas as pd

from jamsos_lib.compute.reconcile import Result, explain
from jamsos_lib.present import fmt, privacy
from jamsos_lib.validate.reconciliation import (
    COVERAGE_COUNTS,
    OVERLAP_COUNTS,
    PUBLISHED_COVERAGE,
    PUBLISHED_FLOWS,
    PUBLISHED_NOTES,
    PUBLISHED_OVERLAPS,
    TOTAL_CODE,
)

#: Percentages are published with this many decimals (full float precision adds nothing
#: and can print long digit runs that look like an identifier).
PCT_DIGITS = 3
RULE = privacy.RULE


#: Cost multiplier for hiding a total (the total row, a summary figure) as a complement:
#: totals are the most used figures, so small inner cells are hidden first.
TOTAL_WEIGHT = 1000.0
COVERAGE = "coverage"
FLOWS = "flows"
OVERLAPS = "overlaps"
SUMMARY = "summary"
#: person counts of the summary (primary suppression 1-9 like the tables)
SUMMARY_PERSON_COUNTS = (
    "unique_persons",
    "persons_outside_registry",
    "persons_with_duplicates",
    "persons_in_several_files",
    "persons_in_several_segments",
    "unique_recipients",
    "recipients_already_participants",
    "recipients_in_several_programmes",
)


def publish(result: Result, period: str | None = None) -> dict[str, pd.DataFrame]:
    """Suppressed tables ready to write or show: coverage (with a total row), flows,
    overlaps, invalid_rows and notes (see the module docstring)."""
    return publish_all(result, period)[0]


def coverage_system(
    cov: pd.DataFrame, flows: pd.DataFrame, summary: dict, invalid: pd.DataFrame, registry_codes: set[str] | None = None
) -> privacy.Constraints:
    """The published coverage table (its last row the total), the flow matrix and the
    summary's person and row totals as one system of cells and relations (what a reader can
    combine):

    * per row, the total row included: ``reported = registered_and_domiciled + moved_out +
      duplicates + invalid_nik`` and ``reported - duplicates + moved_in - moved_out = corrected``;
    * per column: the kab/kota rows add up to the total row;
    * flows: persons registered in ``r`` = ``Σ_d flows[d, r]`` = ``registered_and_domiciled[r] +
      moved_out[r]``, ``flows[r, r] = registered_and_domiciled[r]``, ``moved_in[d] = Σ_{r≠d}
      flows[d, r]`` (registration unknown included);
    * summary: ``unique_persons = Σ flows``, ``persons_outside_registry`` = flows from a
      domicile outside the registry, ``duplicate_rows``, ``active_rows_invalid_nik`` and
      ``unique_persons`` = the total row's figures plus the rows whose kab/kota was not
      resolved (never published, so unknown; zero when there are none);
    * known to every reader from the row counts the command prints: the total of
      ``reported`` (active rows minus unresolved), and ``active_rows_invalid_nik`` when no
      row was dropped as inactive or of another period (it is then the sum of the
      participant rows of ``invalid_rows``).
    """
    system = privacy.Constraints()
    cov = cov.reset_index(drop=True)
    last = len(cov) - 1
    privacy.table_cells(system, COVERAGE, cov, COVERAGE_COUNTS, weights={last: TOTAL_WEIGHT})

    def c(pos, col):
        return (COVERAGE, pos, col)

    for pos in range(len(cov)):
        system.equation(
            {
                c(pos, "reported"): 1,
                c(pos, "registered_and_domiciled"): -1,
                c(pos, "moved_out"): -1,
                c(pos, "duplicates"): -1,
                c(pos, "invalid_nik"): -1,
            }
        )
        system.equation(
            {
                c(pos, "reported"): 1,
                c(pos, "duplicates"): -1,
                c(pos, "moved_in"): 1,
                c(pos, "moved_out"): -1,
                c(pos, "corrected"): -1,
            }
        )
    for col in COVERAGE_COUNTS:
        system.sum_equation([c(pos, col) for pos in range(last)], c(last, col))

    fl = flows.reset_index(drop=True)
    privacy.table_cells(system, FLOWS, fl, ["persons"])
    row_of = {code: pos for pos, code in enumerate(cov["region_code"].iloc[:last])}
    registry_codes = set(row_of) if registry_codes is None else set(registry_codes)
    reg = [None if pd.isna(r) else str(r) for r in fl["registration_code"]]
    dom = [str(d) for d in fl["domicile_code"]]
    by_reg: dict = {}
    by_dom: dict = {}
    for i, (d, r) in enumerate(zip(dom, reg)):
        by_reg.setdefault(r, []).append(i)
        by_dom.setdefault(d, []).append(i)
    for code, pos in row_of.items():
        into = [(FLOWS, i, "persons") for i in by_reg.get(code, [])]
        system.equation([(f, 1) for f in into] + [(c(pos, "registered_and_domiciled"), -1), (c(pos, "moved_out"), -1)])
        same = [(FLOWS, i, "persons") for i in by_reg.get(code, []) if dom[i] == code]
        system.equation([(f, 1) for f in same] + [(c(pos, "registered_and_domiciled"), -1)])
        moved_in = [(FLOWS, i, "persons") for i in by_dom.get(code, []) if reg[i] != code]
        system.equation([(f, 1) for f in moved_in] + [(c(pos, "moved_in"), -1)])

    s = summary
    every = [(FLOWS, i, "persons") for i in range(len(fl))]
    persons = system.cell((SUMMARY, "unique_persons"), s["unique_persons"], weight=TOTAL_WEIGHT)
    outside = system.cell((SUMMARY, "persons_outside_registry"), s["persons_outside_registry"], weight=TOTAL_WEIGHT)
    system.sum_equation(every, system.names[persons])
    system.sum_equation(
        [(FLOWS, i, "persons") for i in range(len(fl)) if dom[i] not in registry_codes], system.names[outside]
    )
    dropped = int(s.get("rows_inactive", 0)) + int(s.get("rows_other_periods", 0))
    system.cell((SUMMARY, "duplicate_rows"), s["duplicate_rows"], weight=TOTAL_WEIGHT, primary=False)
    system.cell(
        (SUMMARY, "active_rows_invalid_nik"),
        s["active_rows_invalid_nik"],
        weight=TOTAL_WEIGHT,
        primary=False,
        known=dropped == 0,
    )
    unresolved = int(s.get("active_rows_unresolved_region", 0))
    total = {col: int(cov.at[last, col]) for col in COVERAGE_COUNTS}
    parts = {
        "active_rows_invalid_nik": total["invalid_nik"],
        "duplicate_rows": total["duplicates"],
        "unique_persons": total["registered_and_domiciled"] + total["moved_out"],
    }
    columns = {
        "active_rows_invalid_nik": ["invalid_nik"],
        "duplicate_rows": ["duplicates"],
        "unique_persons": ["registered_and_domiciled", "moved_out"],
    }
    if unresolved:
        # the rows of no kab/kota: a row identity of their own, with only its total known
        rows_u = system.cell((SUMMARY, "unresolved_rows"), unresolved, known=True)
        free = {k: system.cell((SUMMARY, f"unresolved:{k}"), int(s[k]) - v, free=True) for k, v in parts.items()}
        system.sum_equation([system.names[i] for i in free.values()], system.names[rows_u])
        nowhere = [(FLOWS, i, "persons") for i in by_reg.get(None, [])]
        system.sum_equation(nowhere, system.names[free["unique_persons"]])
    for key, cols in columns.items():
        terms = [(c(last, col), 1) for col in cols] + [((SUMMARY, key), -1)]
        if unresolved:
            terms.append((system.names[free[key]], 1))
        system.equation(terms)
    system.make_known(c(last, "reported"))
    return system


def overlaps_system(ov: pd.DataFrame, summary: dict, invalid: pd.DataFrame) -> privacy.Constraints:
    """The published overlaps table and the summary's recipient figures as one system: per
    row ``recipient_rows = invalid_nik + duplicate_rows + recipients``, ``recipients =
    already_participant + not_participant`` and ``already_participant`` = its five segments;
    the column of ``recipient_rows`` adds up to the recipient rows read and the column of
    ``invalid_nik`` to the recipient rows of ``invalid_rows`` (both known); and, assumed as a
    reader might (a person in two programmes makes them unequal), ``Σ recipients =
    unique_recipients`` and ``Σ already_participant = recipients_already_participants``."""
    system = privacy.Constraints()
    ov = ov.reset_index(drop=True)
    privacy.table_cells(system, OVERLAPS, ov, OVERLAP_COUNTS)

    def c(pos, col):
        return (OVERLAPS, pos, col)

    for pos in range(len(ov)):
        system.equation(
            {
                c(pos, "recipient_rows"): 1,
                c(pos, "invalid_nik"): -1,
                c(pos, "duplicate_rows"): -1,
                c(pos, "recipients"): -1,
            }
        )
        system.equation({c(pos, "recipients"): 1, c(pos, "already_participant"): -1, c(pos, "not_participant"): -1})
        system.equation(
            {
                c(pos, "already_participant"): 1,
                c(pos, "already_pu"): -1,
                c(pos, "already_bpu"): -1,
                c(pos, "already_jakon"): -1,
                c(pos, "already_pmi"): -1,
                c(pos, "already_unknown_segment"): -1,
            }
        )
    if len(ov):
        rows_read = system.cell((SUMMARY, "recipient_rows_read"), summary.get("recipient_rows_read", 0), known=True)
        system.sum_equation([c(pos, "recipient_rows") for pos in range(len(ov))], system.names[rows_read])
        bad = int(invalid.loc[invalid["kind"] == "recipients", "rows"].sum()) if len(invalid) else 0
        invalid_rows = system.cell((SUMMARY, "recipient_invalid_rows"), bad, known=True)
        system.sum_equation([c(pos, "invalid_nik") for pos in range(len(ov))], system.names[invalid_rows])
        for col, key in (
            ("recipients", "unique_recipients"),
            ("already_participant", "recipients_already_participants"),
        ):
            system.cell((SUMMARY, key), summary.get(key, 0), weight=TOTAL_WEIGHT)
            system.sum_equation([c(pos, col) for pos in range(len(ov))], (SUMMARY, key), check=False)
    return system


def publish_all(
    result: Result, period: str | None = None, registry_codes: set[str] | None = None, source: str = ""
) -> tuple[dict[str, pd.DataFrame], dict]:
    """(suppressed tables, summary with its counts published under the same systems):
    see :func:`coverage_system` and :func:`overlaps_system` for what is protected.
    ``source``: where the figures come from, for the notes (:func:`source_phrase`)."""
    cov = result.coverage.copy()
    total = {c: int(cov[c].sum()) for c in COVERAGE_COUNTS}
    wsum = cov["workers"].sum() if cov["workers"].notna().all() and len(cov) else pd.NA
    cov = pd.concat(
        [
            cov,
            pd.DataFrame(
                [
                    {
                        "region_code": TOTAL_CODE,
                        "region_name": "Total of the kab/kota above",
                        **total,
                        "workers": wsum,
                        "published_participants": pd.NA,
                        "published_coverage_pct": None,
                        "coverage_before_pct": None,
                        "coverage_after_pct": None,
                        "explanation": "sum of the rows above (persons registered or domiciled outside them are not included)",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    cov["workers"] = cov["workers"].astype("Int64")
    cov["published_participants"] = cov["published_participants"].astype("Int64")
    if pd.notna(wsum) and wsum:
        cov.loc[len(cov) - 1, "coverage_before_pct"] = total["reported"] / wsum * 100
        cov.loc[len(cov) - 1, "coverage_after_pct"] = total["corrected"] / wsum * 100
    fl = result.flows.reset_index(drop=True)
    summary = dict(result.summary)
    system = coverage_system(cov, fl, summary, result.invalid, registry_codes)
    hidden, _ = privacy.protect(system)
    pub_cov, cov_hidden = privacy.apply(cov, COVERAGE_COUNTS, system, hidden, COVERAGE)
    pub_cov = privacy.hide_dependent(
        pub_cov, cov_hidden, {"coverage_before_pct": ["reported"], "coverage_after_pct": ["corrected"]}
    )
    # the same words with the published counts (a suppressed count stays suppressed in the text)
    pub_cov["explanation"] = [explain(r) for r in pub_cov.itertuples(index=False)][:-1] + [
        pub_cov["explanation"].iloc[-1]
    ]
    for c in ("coverage_before_pct", "coverage_after_pct", "published_coverage_pct"):
        pub_cov[c] = pd.to_numeric(pub_cov[c], errors="coerce").astype(float).round(PCT_DIGITS)
    pub_cov = PUBLISHED_COVERAGE.validate(pub_cov)
    pub_flows, _ = privacy.apply(fl, ["persons"], system, hidden, FLOWS)
    if pub_flows.empty:
        pub_flows = pub_flows.astype(
            {
                "domicile_code": "str",
                "domicile_name": "str",
                "registration_code": "str",
                "registration_name": "str",
                "same_region": bool,
            }
        )
    pub_flows = PUBLISHED_FLOWS.validate(pub_flows)
    for key in ("unique_persons", "persons_outside_registry", "duplicate_rows", "active_rows_invalid_nik"):
        marker = hidden.get(system.index((SUMMARY, key)))
        if marker:
            summary[key] = marker

    ov = result.overlaps.reset_index(drop=True)
    osystem = overlaps_system(ov, result.summary, result.invalid)
    ohidden_cells, _ = privacy.protect(osystem)
    pub_ov, ohidden = privacy.apply(ov, OVERLAP_COUNTS, osystem, ohidden_cells, OVERLAPS)
    pub_ov = privacy.hide_dependent(pub_ov, ohidden, {"double_paid_rp": ["already_participant"]})
    pub_ov["double_paid_rp"] = pd.to_numeric(pub_ov["double_paid_rp"], errors="coerce").astype(float).round(0)
    if pub_ov.empty:
        pub_ov = pub_ov.astype({"region_code": "str", "region_name": "str", "programme": "str"})
    pub_ov = PUBLISHED_OVERLAPS.validate(pub_ov)
    for key in ("unique_recipients", "recipients_already_participants"):
        if (SUMMARY, key) in osystem:
            marker = ohidden_cells.get(osystem.index((SUMMARY, key)))
            if marker:
                summary[key] = marker
    for key in SUMMARY_PERSON_COUNTS:
        if key in summary:
            summary[key] = privacy.published_count(summary[key])
    # the money paid twice: withheld when its total would give back a hidden row's amount
    # (exactly one row hidden) or when the number of persons behind it is hidden
    if (len(pub_ov) and privacy.total_reveals_hidden(pub_ov["already_participant"])) or isinstance(
        summary.get("recipients_already_participants"), str
    ):
        summary["double_paid_rp"] = None
        if len(pub_ov) and privacy.total_reveals_hidden(pub_ov["already_participant"]):
            summary["recipients_already_participants"] = None

    period = period if period is not None else result.summary.get("period")
    notes = region_notes(pub_cov, pub_ov, period, source)
    tables = {
        "coverage": pub_cov,
        "flows": pub_flows,
        "overlaps": pub_ov,
        "invalid_rows": result.invalid.copy(),
        "notes": notes,
    }
    return tables, summary


def _num(v) -> str:
    return v if not str(v).isdigit() else fmt.number(int(v))


def source_phrase(inputs: dict) -> str:
    """Which lists a reconciliation comes from and when (``inputs``: ``summary.json``'s, see
    :func:`jamsos_lib.compute.reconcile.inputs_record`), for the notes: ``dari daftar peserta
    a.csv, b.xlsx dan daftar penerima c.xlsx, direkonsiliasi 05 Jul 2025``."""

    def names(kind: str) -> str:
        return ", ".join(item["file"] for item in inputs["lists"] if item["kind"] == kind)

    parts = [f"daftar peserta {names('participants')}"]
    if names("recipients"):
        parts.append(f"daftar penerima {names('recipients')}")
    return f"dari {' dan '.join(parts)}, direkonsiliasi {fmt.day_short(inputs['reconciled_at'])}"


def region_notes(coverage: pd.DataFrame, overlaps: pd.DataFrame, period: str | None, source: str = "") -> pd.DataFrame:
    """Notes per kab/kota (schema :data:`PUBLISHED_NOTES`) for a report's data-quality
    section, in Indonesian for officials, from the published (suppressed) tables only. The
    first note of each kab/kota says where the figures come from (``source``: :func:`source_phrase`)."""
    rows: list[dict] = []
    period = period or "-"
    codes = [c for c in coverage["region_code"] if c != TOTAL_CODE]
    codes += [c for c in overlaps["region_code"].dropna().unique() if c not in codes]
    for code in codes:
        notes: list[str] = []
        cov = coverage[coverage["region_code"] == code]
        if len(cov):
            r = cov.iloc[0]
            text = (
                f"Rekonsiliasi daftar peserta per NIK ({period}{'; ' + source if source else ''}): "
                f"{_num(r['reported'])} baris peserta aktif "
                f"terdaftar di wilayah ini; {_num(r['duplicates'])} baris ganda (tumpang tindih), "
                f"{_num(r['moved_in'])} orang ber-NIK wilayah ini terdaftar di tempat lain, {_num(r['moved_out'])} "
                f"orang terdaftar di sini dengan NIK wilayah lain; setelah koreksi menurut domisili NIK: "
                f"{_num(r['corrected'])} peserta"
            )
            if pd.notna(r["coverage_before_pct"]) and pd.notna(r["coverage_after_pct"]):
                text += (
                    f"; cakupan {fmt.percent(r['coverage_before_pct'])} sebelum dan "
                    f"{fmt.percent(r['coverage_after_pct'])} sesudah koreksi"
                )
            if str(r["invalid_nik"]) != "0":
                text += f"; {_num(r['invalid_nik'])} baris dengan NIK tidak valid dibiarkan apa adanya"
            notes.append(text + ".")
        for r in overlaps[overlaps["region_code"] == code].itertuples(index=False):
            origin = f" ({period}; {source})" if source and not notes else ""
            text = (
                f"Penerima bantuan iuran '{r.programme}'{origin}: {_num(r.recipients)} penerima, di antaranya "
                f"{_num(r.already_participant)} sudah peserta aktif"
            )
            if pd.notna(r.double_paid_rp) and r.double_paid_rp > 0:
                text += f" (potensi iuran dibayar dua kali {fmt.rupiah(r.double_paid_rp)})"
            notes.append(text + ".")
        if notes:
            notes.append(
                "Angka 1-9 ditampilkan sebagai '<10', dan 's' disembunyikan agar total tidak "
                "membuka angka kecil (perlindungan data pribadi, UU 27/2022)."
            )
        rows += [{"region_code": str(code), "severity": "warning", "message": m} for m in notes]
    return PUBLISHED_NOTES.validate(pd.DataFrame(rows, columns=list(PUBLISHED_NOTES.columns)).astype(str))
