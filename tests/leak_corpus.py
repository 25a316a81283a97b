"""A corpus of person lists as clerks really fill them, with NIKs planted everywhere free
text can go, and a scanner that looks for any of them in anything produced.

Planted (all synthetic; structurally valid NIKs of Jawa Timur, none a real person's):

* in every free-text column of both list kinds: Program / Kegiatan / Sumber Dana /
  Kecamatan / Desa / Kab/Kota / Segmen / Status / Periode / Jumlah Bulan / Iuran, as
  "Pendaftaran BPU a.n. NIK <nik>" and bare, and a NIK in a programme column shifted by one;
* in every separator form a clerk uses: none, space, ``.``, ``-``, ``_``, ``/``, ``,``,
  ``:``, ``|``, ``'``, NBSP, tab, mixed, 2-2-2-6-4 and 4-4-4-4 groups, a leading
  apostrophe, full-width digits, and the 12-digit prefix alone;
* as a file name, an xlsx sheet name and a header of an unused column.

:func:`scan` reads every produced file (Parquet as tables; CSV, JSON, HTML, notebooks
and logs as text after NFKC) and searches each planted NIK's 12-digit prefix with up to
three non-alphanumeric characters between any two digits.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

#: NIKs planted in free text (never in a NIK column).
PLANTED = [
    "3513161401677135",
    "3513080601948498",
    "3513101010858103",
    "3508224509910012",
    "3578015708880034",
    "3509120312950056",
    "3505034411920078",
    "3572010202930091",
    "3510056607860023",
    "3525101212800045",
    "3515182505970067",
    "3502096103990089",
    "3522151807850011",
    "3524075206940033",
    "3507220909910055",
]
#: NIKs of the persons of the lists (in the NIK column: must never come out either).
PERSONS = [
    "3513010101900001",
    "3513024202850002",
    "3508031503800003",
    "3572011010000005",
    "3513026512950008",
    "3572014506910006",
    "3513011207880009",
    "3508034303920010",
]


def forms(nik: str) -> list[str]:
    """The ways a clerk writes ``nik`` in a text cell."""
    g = (nik[:4], nik[4:6], nik[6:12], nik[12:])
    out = [
        nik,
        f"'{nik}",
        "".join(chr(0xFF10 + int(d)) for d in nik),
        nik[:12],
        f"{nik[:2]}.{nik[2:4]}.{nik[4:6]} {nik[6:12]} {nik[12:]}",
        " ".join([nik[:4], nik[4:8], nik[8:12], nik[12:]]),
        f"{g[0]}.{g[1]}/{g[2]}-{g[3]}",
    ]
    out += [sep.join(g) for sep in (" ", ".", "-", "_", "/", ",", ":", "|", "'", "\u00a0", "\t")]
    return out


def _csv(path: Path, header: list[str], rows: list[list[str]], sep: str = ",") -> Path:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=sep, quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)
    return path


def write(folder: Path) -> dict[str, list[Path]]:
    """Write the corpus into ``folder``; returns {"participants": [...], "recipients": [...]}."""
    folder.mkdir(parents=True, exist_ok=True)
    planted = iter([f for nik in PLANTED for f in forms(nik)])

    def nxt() -> str:
        try:
            return next(planted)
        except StopIteration:
            return forms(PLANTED[0])[1]

    # participants: the free-text columns each hold planted NIKs in some rows
    part_rows = []
    for i in range(48):
        nik = PERSONS[i % len(PERSONS)]
        region = ["Kab Probolinggo", "Kota Blitar", "Lumajang", "KAB. PROBOLINGGO"][i % 4]
        seg, status, period = ["PU", "BPU", "Jakon", "PMI"][i % 4], "Aktif", "2025-06"
        if i % 6 == 1:
            seg = f"BPU a.n. NIK {nxt()}"
        if i % 6 == 2:
            status = nxt()
        if i % 12 == 3:
            region = f"Kab Probolinggo NIK {nxt()}"
        if i % 12 == 9:
            period = nxt()
        part_rows.append([nik, seg, region, status, period, nxt()])
    p1 = _csv(
        folder / f"peserta {forms(PLANTED[1])[8]}.csv",
        ["NIK", "Segmen", "Kab/Kota", "Status", "Periode", PLANTED[2]],
        part_rows,
    )

    # a second participant list as xlsx, its sheet named by a NIK, after a title row
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"NIK {PLANTED[3][:4]}.{PLANTED[3][4:6]}.{PLANTED[3][6:12]}.{PLANTED[3][12:]}"
    ws.append([f"Daftar peserta {forms(PLANTED[4])[9]}"])
    ws.append(["No KTP", "Segmen Peserta", "Lokasi Kerja", "Status Peserta"])
    for i in range(12):
        nik = PERSONS[(i + 3) % len(PERSONS)]
        ws.append([nik, "PU" if i % 3 else f"PU {nxt()}", "Kota Blitar", "aktif" if i % 4 else nxt()])
    p2 = folder / f"{PLANTED[5]}_peserta.xlsx"
    wb.save(p2)

    # recipients: programme / kegiatan / sumber dana / kecamatan / desa / months / rate, and a shifted column
    rec_rows = []
    for i in range(60):
        nik = PERSONS[i % len(PERSONS)]
        programme = ["DBHCHT", "APBD Pekerja Rentan"][i % 2]
        if i % 3 == 0:
            programme = f"Pendaftaran BPU a.n. NIK {nxt()}"
        elif i % 5 == 1:
            programme = nxt()
        kegiatan = f"Kegiatan {nxt()}" if i % 4 == 0 else "Perlindungan pekerja rentan"
        dana = nxt() if i % 4 == 1 else "APBD"
        kec = f"Kec {nxt()}" if i % 5 == 2 else "Kraksaan"
        desa = nxt() if i % 5 == 3 else "Sumberlele"
        months = nxt() if i % 10 == 4 else "12"
        rate = nxt() if i % 10 == 5 else "16800"
        region = "Kab Probolinggo" if i % 7 else f"Probolinggo {nxt()}"
        row = [nik, programme, kegiatan, dana, region, kec, desa, months, rate]
        if i in (11, 37):  # the clerk shifted the row by one: the NIK sits in the programme column
            row = ["DBHCHT", nik] + row[2:]
        rec_rows.append(row)
    r1 = _csv(
        folder / f"penerima-{forms(PLANTED[6])[10]}.csv",
        [
            "NIK",
            "Program",
            "Kegiatan",
            "Sumber Dana",
            "Kab/Kota",
            "Kecamatan",
            "Desa",
            "Jumlah Bulan",
            "Iuran per Bulan",
        ],
        rec_rows,
        sep=";",
    )
    return {"participants": [p1, p2], "recipients": [r1]}


def _prefix_pattern(nik: str) -> re.Pattern:
    return re.compile(r"[^0-9A-Za-z]{0,3}".join(nik[:12]))


PATTERNS = {nik: _prefix_pattern(nik) for nik in PLANTED + PERSONS}


def find(text: str) -> list[str]:
    """Which planted or person NIKs have their 12-digit prefix in ``text`` (any separators)."""
    text = unicodedata.normalize("NFKC", text)
    return [nik[:4] + "…" for nik, pat in PATTERNS.items() if pat.search(text)]


def file_text(path: Path) -> str:
    """A produced file as text: Parquet as its table (all columns), others decoded."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return frame.to_csv(index=False) + "\n" + " ".join(map(str, frame.columns))
    return path.read_bytes().decode("utf-8", errors="replace")


def scan(folders: list[Path], streams: dict[str, str | bytes]) -> dict[str, list[str]]:
    """{where: [NIKs found]} over every file under ``folders`` and the captured ``streams``."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                hits = find(file_text(path)) + find(path.name)
                if hits:
                    found[str(path)] = hits
    for name, blob in streams.items():
        text = blob.decode("utf-8", errors="replace") if isinstance(blob, bytes) else blob
        hits = find(text)
        if hits:
            found[name] = hits
    return found
