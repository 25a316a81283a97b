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
from jamsos_lib.validate.reconciliation import (COVERAGE_COUNTS, OVERLAP_COUNTS, PUBLISHED_COVERAGE, PUBLISHED_FLOWS,
                                                PUBLISHED_NOTES, PUBLISHED_OVERLAPS, TOTAL_CODE)

#: Percentages are published with this many decimals (full float precision adds nothing
#: and can print long digit runs that look like an identifier).
PCT_DIGITS = 3
RULE = privacy.RULE


def publish(result: Result, period: str | None = None) -> dict[str, pd.DataFrame]:
    """Suppressed tables ready to write or show: coverage (with a total row), flows,
    overlaps, invalid_rows and notes (see the module docstring)."""
    cov = result.coverage.copy()
    total = {c: int(cov[c].sum()) for c in COVERAGE_COUNTS}
    wsum = cov["workers"].sum() if cov["workers"].notna().all() and len(cov) else pd.NA
    cov = pd.concat([cov, pd.DataFrame([{
        "region_code": TOTAL_CODE, "region_name": "Total of the kab/kota above", **total,
        "workers": wsum, "published_participants": pd.NA, "published_coverage_pct": None,
        "coverage_before_pct": None, "coverage_after_pct": None,
        "explanation": "sum of the rows above (persons registered or domiciled outside them are not included)"}])],
        ignore_index=True)
    cov["workers"] = cov["workers"].astype("Int64")
    cov["published_participants"] = cov["published_participants"].astype("Int64")
    if pd.notna(wsum) and wsum:
        cov.loc[len(cov) - 1, "coverage_before_pct"] = total["reported"] / wsum * 100
        cov.loc[len(cov) - 1, "coverage_after_pct"] = total["corrected"] / wsum * 100
    chain = ["reported", "duplicates", "moved_in", "moved_out", "corrected"]
    groups = privacy.row_groups(len(cov), chain) + privacy.column_groups(len(cov), COVERAGE_COUNTS)
    pub_cov, hidden = privacy.suppress(cov, COVERAGE_COUNTS, groups)
    pub_cov = privacy.hide_dependent(pub_cov, hidden, {"coverage_before_pct": ["reported"],
                                                       "coverage_after_pct": ["corrected"]})
    # the same words with the published counts (a suppressed count stays suppressed in the text)
    pub_cov["explanation"] = [explain(r) for r in pub_cov.itertuples(index=False)][:-1] + \
        [pub_cov["explanation"].iloc[-1]]
    for c in ("coverage_before_pct", "coverage_after_pct", "published_coverage_pct"):
        pub_cov[c] = pd.to_numeric(pub_cov[c], errors="coerce").astype(float).round(PCT_DIGITS)
    pub_cov = PUBLISHED_COVERAGE.validate(pub_cov)

    fl = result.flows.reset_index(drop=True)
    fgroups = [list(zip(idx, ["persons"] * len(idx))) for _, idx in
               fl.groupby("domicile_code").indices.items()]
    fgroups += [list(zip(idx, ["persons"] * len(idx))) for _, idx in
                fl.groupby(fl["registration_code"].fillna("?")).indices.items()]
    fgroups = [[(int(r), c) for r, c in g] for g in fgroups]
    pub_flows, _ = privacy.suppress(fl, ["persons"], fgroups)
    pub_flows = PUBLISHED_FLOWS.validate(pub_flows)

    ov = result.overlaps.reset_index(drop=True)
    og = privacy.row_groups(len(ov), ["recipients", "already_participant", "not_participant"])
    og += privacy.row_groups(len(ov), ["already_participant", "already_pu", "already_bpu", "already_jakon",
                                       "already_pmi", "already_unknown_segment"])
    og += privacy.row_groups(len(ov), ["recipient_rows", "invalid_nik", "duplicate_rows", "recipients"])
    pub_ov, ohidden = privacy.suppress(ov, OVERLAP_COUNTS, og)
    pub_ov = privacy.hide_dependent(pub_ov, ohidden, {"double_paid_rp": ["already_participant"]})
    pub_ov["double_paid_rp"] = pd.to_numeric(pub_ov["double_paid_rp"], errors="coerce").astype(float).round(0)
    pub_ov = PUBLISHED_OVERLAPS.validate(pub_ov)
    period = period if period is not None else result.summary.get("period")
    notes = region_notes(pub_cov, pub_ov, period)
    return {"coverage": pub_cov, "flows": pub_flows, "overlaps": pub_ov, "invalid_rows": result.invalid.copy(),
            "notes": notes}


def _num(v) -> str:
    return v if not str(v).isdigit() else fmt.number(int(v))


def region_notes(coverage: pd.DataFrame, overlaps: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Notes per kab/kota (schema :data:`PUBLISHED_NOTES`) for a report's data-quality
    section, in Indonesian for officials, from the published (suppressed) tables only."""
    rows: list[dict] = []
    period = period or "-"
    codes = [c for c in coverage["region_code"] if c != TOTAL_CODE]
    codes += [c for c in overlaps["region_code"].dropna().unique() if c not in codes]
    for code in codes:
        notes: list[str] = []
        cov = coverage[coverage["region_code"] == code]
        if len(cov):
            r = cov.iloc[0]
            text = (f"Rekonsiliasi daftar peserta per NIK ({period}): {_num(r['reported'])} baris peserta aktif "
                    f"terdaftar di wilayah ini; {_num(r['duplicates'])} baris ganda (tumpang tindih), "
                    f"{_num(r['moved_in'])} orang ber-NIK wilayah ini terdaftar di tempat lain, {_num(r['moved_out'])} "
                    f"orang terdaftar di sini dengan NIK wilayah lain; setelah koreksi menurut domisili NIK: "
                    f"{_num(r['corrected'])} peserta")
            if pd.notna(r["coverage_before_pct"]) and pd.notna(r["coverage_after_pct"]):
                text += (f"; cakupan {fmt.percent(r['coverage_before_pct'])} sebelum dan "
                         f"{fmt.percent(r['coverage_after_pct'])} sesudah koreksi")
            if str(r["invalid_nik"]) != "0":
                text += f"; {_num(r['invalid_nik'])} baris dengan NIK tidak valid dibiarkan apa adanya"
            notes.append(text + ".")
        for r in overlaps[overlaps["region_code"] == code].itertuples(index=False):
            text = (f"Penerima bantuan iuran '{r.programme}': {_num(r.recipients)} penerima, di antaranya "
                    f"{_num(r.already_participant)} sudah peserta aktif")
            if pd.notna(r.double_paid_rp) and r.double_paid_rp > 0:
                text += f" (potensi iuran dibayar dua kali {fmt.rupiah(r.double_paid_rp)})"
            notes.append(text + ".")
        if notes:
            notes.append("Angka 1-9 ditampilkan sebagai '<10', dan 's' disembunyikan agar total tidak "
                         "membuka angka kecil (perlindungan data pribadi, UU 27/2022).")
        rows += [{"region_code": str(code), "severity": "warning", "message": m} for m in notes]
    return PUBLISHED_NOTES.validate(pd.DataFrame(rows, columns=list(PUBLISHED_NOTES.columns)).astype(str))
