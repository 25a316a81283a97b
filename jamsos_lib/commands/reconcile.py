"""``jamsos reconcile``: reconcile participant and subsidy-recipient lists by NIK.

Writes suppressed aggregate tables only (Parquet + CSV for Excel users) and
``summary.json`` into ``--out`` (default ``data/processed/reconciliation/``), all at once
(:func:`jamsos_lib.atomic.atomic_dir`). With ``--records`` it also writes
``persons_pseudonymised.parquet`` (HMAC-SHA256 pseudonyms, never NIKs), which needs a key.
Every text it writes or prints (table cells, ``summary.json``, stdout, log lines) passes
the one scrubber, :func:`jamsos_lib.errors.scrub`. Without ``--recipients`` it reconciles
the participant lists alone (the overlaps table is then empty).
"""

from __future__ import annotations

import logging
from pathlib import Path

from jamsos_lib import atomic, paths
from jamsos_lib.commands import _common
from jamsos_lib.compute.constants import DEFAULT_MEMORY_LIMIT, DEFAULT_MONTHS, DENOMINATORS
from jamsos_lib.errors import InputError, JamsosError, Problem, scrub, scrub_frame, scrub_json

log = logging.getLogger("jamsos.reconcile")
DEFAULT_OUT = paths.PROCESSED / "reconciliation"
#: keys and columns holding hex digests, not free text: not scrubbed
DIGESTS = ("sha256", "manifest_sha256", "processed_manifest_sha256")


def register(sub) -> None:
    p = sub.add_parser(
        "reconcile",
        help="reconcile participant / subsidy-recipient lists by NIK: duplicates, "
        "overlaps, corrected coverage (aggregates only)",
    )
    p.add_argument("--participants", nargs="+", required=True, metavar="FILE", help="BPJS participant lists (csv/xlsx)")
    p.add_argument(
        "--recipients", nargs="+", default=[], metavar="FILE", help="Pemda subsidy-recipient lists (csv/xlsx)"
    )
    p.add_argument("--period", help="month YYYY-MM (default: the latest in the lists)")
    p.add_argument(
        "--out",
        type=_common.folder_arg,
        default=None,
        help=f"output folder (default: reconciliation/ inside the --data folder, {DEFAULT_OUT})",
    )
    p.add_argument(
        "--data", type=Path, default=None, help="processed data folder for worker figures (default data/processed)"
    )
    p.add_argument("--denominator", choices=DENOMINATORS, default="eligible", help="coverage denominator")
    p.add_argument(
        "--key-file",
        type=Path,
        default=None,
        help="pseudonymisation key file, outside the repository (else $JAMSOS_PSEUDONYM_KEY)",
    )
    p.add_argument("--records", action="store_true", help="also write pseudonymised person records (needs a key)")
    p.add_argument(
        "--rate",
        type=float,
        default=None,
        help="monthly contribution per recipient in Rp (default: the BPU "
        "JKK + JKM package in force for the period, from the "
        "processed rates table)",
    )
    p.add_argument(
        "--months", type=_common.months_arg, default=DEFAULT_MONTHS, help="months funded when a list has no such column"
    )
    p.add_argument("--max-invalid-share", type=float, default=0.25, help="reject a file with more invalid NIKs (0..1)")
    p.add_argument(
        "--memory-limit",
        default=DEFAULT_MEMORY_LIMIT,
        help=f"DuckDB memory limit (it spills to a private temp folder; default {DEFAULT_MEMORY_LIMIT})",
    )
    p.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    p.set_defaults(func=run)


def run(args) -> int:
    from jamsos_lib.compute import pseudonym
    from jamsos_lib.regions import load_registry

    # by default beside the processed data the reports read (``compute.quality.published_reconciliation``)
    out = Path(args.out) if args.out else (Path(args.data) / "reconciliation" if args.data else DEFAULT_OUT)
    key = pseudonym.require_key(args.key_file) if args.records else pseudonym.load_key(args.key_file)
    registry = load_registry()
    summary = run_reconciliation(
        args.participants,
        args.recipients,
        out,
        period=args.period,
        data=args.data,
        denominator=args.denominator,
        key=key if args.records else None,
        rate=args.rate,
        months=args.months,
        max_invalid_share=args.max_invalid_share,
        memory_limit=args.memory_limit,
        threads=args.threads,
        registry=registry,
    )
    _print_summary(summary, out)
    return 0


def run_reconciliation(
    participants,
    recipients,
    out: Path,
    *,
    period=None,
    data=None,
    denominator="eligible",
    key: bytes | None = None,
    rate=None,
    months=DEFAULT_MONTHS,
    max_invalid_share=0.25,
    memory_limit=DEFAULT_MEMORY_LIMIT,
    threads=None,
    registry=None,
) -> dict:
    """Read, reconcile, suppress and write; returns the summary (also in ``summary.json``)."""
    from jamsos_lib import clock, store
    from jamsos_lib.compute import pseudonym, reconcile as rc
    from jamsos_lib.present import reconciliation as published
    from jamsos_lib.read.persons import PARTICIPANTS, RECIPIENTS, read_person_list
    from jamsos_lib.regions import load_registry

    registry = registry or load_registry()
    problems: list[Problem] = []
    rates = None
    dataset, no_data = None, None
    try:  # one data set for the rates and the worker figures (read lazily, table by table)
        dataset = store.load(data)
        if recipients and rate is None:  # fail before reading millions of rows
            rates = dataset.rates
    except JamsosError as exc:
        no_data = exc
    if no_data is not None and recipients and rate is None:
        raise JamsosError(
            f"no monthly rate for the recipients ({no_data}): give --rate (Rupiah per person-month) "
            "or --data with a processed folder"
        )
    with rc.connect(memory_limit, threads) as con:
        lists = {PARTICIPANTS: [], RECIPIENTS: []}
        file_id = 0
        for kind, files in ((PARTICIPANTS, participants), (RECIPIENTS, recipients)):
            for f in files:
                try:
                    lists[kind].append(read_person_list(con, f, kind, file_id, registry, max_invalid_share))
                except InputError as exc:
                    problems.extend(exc.problems)
                file_id += 1
        if any(p.severity == "error" for p in problems):
            for p_list in lists.values():
                for pl in p_list:
                    problems.extend(pl.problems)
            raise InputError(problems)
        for p_list in lists.values():
            for pl in p_list:
                for problem in pl.problems:
                    log.warning("%s", problem)
                log.info("columns used: %s", pl.describe_columns())
        workers, workers_note = rc.workers_for_reconciliation(
            dataset if dataset is not None else data, period, denominator
        )
        result = rc.reconcile(
            con,
            lists[PARTICIPANTS],
            lists[RECIPIENTS],
            period=period,
            workers=workers,
            rate_rp=rate,
            default_months=months,
            registry=registry,
            rates=rates,
        )
        # what the result is made from: the lists, the period, the processed data (reports use
        # it only with that data and month: compute.quality.reconciliation_for)
        processed = rc.processed_identity(dataset.folder) if dataset is not None else None
        inputs = rc.inputs_record(
            [*lists[PARTICIPANTS], *lists[RECIPIENTS]], result.summary.get("period"), processed, clock.stamp()
        )
        tables, published_summary = published.publish_all(result, source=published.source_phrase(scrub_json(inputs)))
        tables["lists"] = rc.lists_table(inputs)
        records = None
        if key is not None:
            records = con.execute(
                f"SELECT {pseudonym.pseudonym_sql('CAST(nik_key AS VARCHAR)')} AS pseudonym, "
                "CAST(domicile AS VARCHAR) AS domicile_code, CAST(registration AS VARCHAR) AS registration_code, "
                "main_segment, n_rows FROM persons ORDER BY 1",
                pseudonym.hmac_key_params(key),
            ).df()
        summary = dict(published_summary)
        summary.update(
            {
                "inputs": inputs,
                "workers_note": workers_note,
                "suppression_rule": published.RULE,
                "files": [
                    {
                        "file": pl.path.name,
                        "kind": pl.kind,
                        "sheet": pl.sheet,
                        "encoding": pl.encoding,
                        "sha256": sha,
                        "rows": pl.rows,
                        "columns_used": pl.columns_used,
                        "invalid_by_reason": pl.invalid_by_reason,
                        "invalid_row_numbers": pl.invalid_rows,
                        "warnings": [str(p) for p in pl.problems],
                    }
                    for pl, sha in zip(
                        [*lists[PARTICIPANTS], *lists[RECIPIENTS]], [item["sha256"] for item in inputs["lists"]]
                    )
                ],
                "invalid_by_reason": _total_by_reason(lists),
                "record_output": "persons_pseudonymised.parquet (HMAC-SHA256, 16 hex)"
                if records is not None
                else "none (aggregates only)",
                "privacy": "aggregates only; counts 1-9 suppressed, complements chosen so that no hidden count can be "
                "worked out; no NIK or part of a NIK is written; free text is scrubbed of long numbers",
            }
        )
    summary = scrub_json(summary, keep=DIGESTS)
    tables = {name: scrub_frame(frame, keep=DIGESTS) for name, frame in tables.items()}
    with atomic.atomic_dir(out) as tmp:
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
            frame.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")
        if records is not None:  # pseudonyms (hex) and codes only: nothing free-text to scrub
            records.to_parquet(tmp / "persons_pseudonymised.parquet", index=False)
        atomic.write_json(tmp / "summary.json", summary)
    summary["worst"] = _worst(tables["coverage"])
    return summary


def _total_by_reason(lists) -> dict[str, int]:
    total: dict[str, int] = {}
    for p_list in lists.values():
        for pl in p_list:
            for reason, n in pl.invalid_by_reason.items():
                total[reason] = total.get(reason, 0) + n
    return dict(sorted(total.items(), key=lambda kv: -kv[1]))


def _n(value) -> str:
    """A count in Indonesian format; suppressed cells ("<10", "s") as they are."""
    from jamsos_lib.present import fmt

    if isinstance(value, str):
        return fmt.number(int(value)) if value.isdigit() else value
    return fmt.number(value)


def _worst(cov, n: int = 5) -> list[str]:
    from jamsos_lib.present import fmt
    from jamsos_lib.present import reconciliation as published

    body = cov[cov["region_code"] != published.TOTAL_CODE].copy()
    body["_shift"] = (body["coverage_after_pct"] - body["coverage_before_pct"]).abs()
    body = body.sort_values("_shift", ascending=False, na_position="last").head(n)
    return [
        f"  {r.region_name}: dilaporkan {_n(r.reported)}, ganda {_n(r.duplicates)}, masuk {_n(r.moved_in)}, "
        f"keluar {_n(r.moved_out)}, terkoreksi {_n(r.corrected)}; cakupan "
        f"{fmt.percent(r.coverage_before_pct)} -> {fmt.percent(r.coverage_after_pct)}"
        for r in body.itertuples(index=False)
    ]


def _print_summary(s: dict, out: Path) -> None:
    import builtins

    from jamsos_lib.present import fmt

    def print(text: str) -> None:  # noqa: A001 - every printed line is scrubbed
        builtins.print(scrub(text))

    print(f"jamsos reconcile: periode {s['period'] or '(tidak diberikan)'}; ditulis ke {out}")
    print(
        f"  baris dibaca: {_n(s['participant_rows_read'])} peserta, {_n(s['recipient_rows_read'])} penerima; "
        f"baris aktif pada periode: {_n(s['active_rows'])}"
    )
    inv = ", ".join(f"{k} {_n(v)}" for k, v in s["invalid_by_reason"].items()) or "tidak ada"
    print(f"  NIK tidak valid menurut alasan: {inv}")
    print(
        f"  orang unik: {_n(s['unique_persons'])}; baris ganda: {_n(s['duplicate_rows'])} "
        f"({_n(s['persons_in_several_segments'])} orang di beberapa segmen, "
        f"{_n(s['persons_in_several_files'])} di beberapa berkas)"
    )
    if s["recipient_rows_read"]:
        print(
            f"  penerima bantuan yang sudah peserta aktif: {_n(s['recipients_already_participants'])} dari "
            f"{_n(s['unique_recipients'])}; dana terbayar dua kali: {fmt.rupiah(s['double_paid_rp'])}"
        )
        print(f"  iuran per bulan: {s['rate_source']} ({s['rate_legal_basis']})")
    if s["worst"]:
        print("  cakupan terkoreksi, kabupaten/kota yang paling berubah (angka 1-9 ditampilkan <10):")
        for line in s["worst"]:
            print(line)
    print(f"  penyebut: {s['workers_note']}")
    inputs = s.get("inputs") or {}
    made = inputs.get("processed_data")
    if made and made.get("manifest_sha256"):
        print(
            f"  direkonsiliasi terhadap data olahan {made['folder']} (manifest.json sha256 "
            f"{made['manifest_sha256'][:12]}); laporan {inputs.get('period')} memakai hasil ini hanya untuk data itu"
            + (
                ""
                if Path(out).resolve() == Path(made["folder"]) / "reconciliation"
                else " dan hanya bila ditulis ke <data>/reconciliation (--out lain: laporan tidak membacanya)"
            )
        )
    else:
        print("  tanpa data olahan (--data): laporan tidak memakai hasil ini")
