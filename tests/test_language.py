"""One language per page (issue 14): an Indonesian page carries no English word from the code
and an English page (``--lang en``) no Indonesian heading, with English number formats.

The word lists are built from the code's own wording (:mod:`jamsos_lib.present.labels` and
the status texts of :mod:`jamsos_lib.present.status`) and its identifiers (label keys,
status, series and basis codes), so a new English label leaking into an Indonesian page makes
this fail. Text that comes from the data (source titles, data-quality messages, region and
document names) is the data's own and is left out of the check.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

import report_fixture
from jamsos_lib.compute.constants import DENOMINATORS
from jamsos_lib.present import status as status_text
from jamsos_lib.present.labels import _TEXT, SEGMENT_LABELS

ID_PAGES = ("3513-kabupaten-probolinggo.html", "3574-kota-probolinggo.html", "provinsi-35.html", "index.html")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def _words(texts) -> set[str]:
    return {w.lower() for t in texts for w in WORD.findall(re.sub(r"\{[a-z_]+\}", " ", t))}


def english_from_code() -> set[str]:
    """English words of the code's wording and identifiers that Indonesian wording never uses."""
    indonesian = (
        _words(_TEXT["id"].values()) | _words(status_text._TEXT["id"].values()) | _words(SEGMENT_LABELS["id"].values())
    )
    english = _words(_TEXT["en"].values()) | _words(status_text._TEXT["en"].values())
    identifiers = (
        {k.lower() for k in _TEXT["id"]}
        | {k.lower() for k in status_text._TEXT["id"]}
        | {part for k in _TEXT["id"] for part in k.split("_")}
        | {d.lower() for d in DENOMINATORS}
        | {
            "illustrative",
            "published",
            "mixed",
            "province",
            "national",
            "eligible",
            "denominator",
            "workers",
            "source_url",
            "numpy",
            "polyfit",
            "achieved",
            "on_track",
            "at_risk",
            "off_track",
            "not_comparable",
            "bps_employed",
            "excluding_asn_tni_polri",
            "ktp_domicile",
            "git",
            "utc",
        }
    )
    return {w for w in english | identifiers if len(w) > 2} - indonesian


def indonesian_headings() -> set[str]:
    """The Indonesian headings and titles of the code, each longer than a shared word."""
    keys = [k for k in _TEXT["id"] if k.endswith(("_title", "_heading")) or k in {"banner_title", "back_to_index"}]
    return {_TEXT["id"][k].split("{")[0].strip() for k in keys} - {_TEXT["en"][k].split("{")[0].strip() for k in keys}


def own_text(page: str) -> str:
    """The page's visible text and alt texts, without the data's own text (source lines,
    data-quality notes, the target chain's document names) and without styles or images."""
    page = re.sub(r"<style.*?</style>|<head>.*?</head>", "", page, flags=re.S)
    page = re.sub(r'<(ul|section) class="jamsos-(quality|sources|chain)".*?</\1>', "", page, flags=re.S)
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    page = re.sub(r'src="data:[^"]*"', "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)) + " " + alts)


def test_the_word_lists_can_catch_what_the_issue_saw():
    english = english_from_code()
    for word in ("illustrative", "province", "eligible", "workers", "denominator", "source_url", "polyfit", "coverage"):
        assert word in english, word
    # shared words are not English-only: "Target", "Status", "Data" read the same in Indonesian
    assert not {"target", "status", "data", "total"} & english
    assert "Sumber data" in indonesian_headings() and "Catatan kualitas data" in indonesian_headings()
    assert WORD.findall("penyebut: workers: eligible") == ["penyebut", "workers", "eligible"]


@pytest.mark.parametrize("name", ID_PAGES)
def test_indonesian_page_has_no_english_word_from_code(pages, name):
    text = own_text(pages.page(name))
    leaked = sorted({w for w in WORD.findall(text) if w.lower() in english_from_code()})
    assert leaked == [], leaked
    # no file path of the code either (tools/…py, docs/…md)
    assert not re.search(r"\b[\w/]+\.(py|md|ipynb)\b", text)


@lru_cache(maxsize=1)
def english_pages() -> Path:
    """The fixture's region 3513, province and index pages rendered with ``--lang en``."""
    rendered = report_fixture.rendered()
    out = rendered.data_dir.parent / "reports-en"
    cmd = [
        sys.executable,
        "-m",
        "jamsos_lib",
        "report",
        "--period",
        report_fixture.PERIOD,
        "--out",
        str(out),
        "--data",
        str(rendered.data_dir),
        "--workers",
        "1",
        "--lang",
        "en",
        "--province",
        "35",
        "--region",
        "3513",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out / report_fixture.PERIOD


@pytest.mark.parametrize("name", ("3513-kabupaten-probolinggo.html", "provinsi-35.html", "index.html"))
def test_english_page_has_no_indonesian_heading_and_english_numbers(name):
    page = (english_pages() / name).read_text(encoding="utf-8")
    text = own_text(page)
    assert '<html lang="en">' in page
    found = sorted(h for h in indonesian_headings() if h in text)
    assert found == [], found
    # English number formats: a decimal point in percentages, commas in thousands, "billion"
    percents = re.findall(r"\b\d+[.,]\d%", text)
    assert percents and all("." in p for p in percents), percents[:5]
    assert not re.search(r"\b\d{1,3}\.\d{3}\.\d{3}\b", text)  # no 1.234.567
    if name != "index.html":
        assert re.search(r"\b\d{1,3}(,\d{3})+\b", text)
        assert "<h2>Data sources</h2>" in page and "Sumber data" not in page
    if name == "3513-kabupaten-probolinggo.html":
        assert re.search(r"Rp \d+\.\d+ billion", text) and "miliar" not in text
        assert "per person per month" in text and "per orang per bulan" not in text


def visible_text(page: str) -> str:
    """All the text a reader sees (sources and data-quality notes included) and the alt texts."""
    page = re.sub(r"<style.*?</style>|<head>.*?</head>", "", page, flags=re.S)
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    page = re.sub(r'src="data:[^"]*"', "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)) + " " + alts)


#: a data or code file's name, or a path of folders (``bps/penduduk.xlsx``, ``/srv/data``)
FILE_PATH = re.compile(
    r"\.(xlsx|csv|parquet|py|ipynb|json)\b|(?<![\w.:/])(?:[\w.-]+/)+[\w-]+\.\w{2,8}\b"
    r"|(?<![\w.:])/(?:[\w.-]+/)+"
)


def test_the_path_check_sees_a_data_file_but_not_words_or_addresses():
    assert FILE_PATH.search("penyebut (bps/penduduk_bekerja_kabkota_2019_2025.xlsx)")
    assert FILE_PATH.search("lihat peserta_aktif_published.csv") and FILE_PATH.search("di /srv/laporan/2025-06/")
    assert not FILE_PATH.search("pekerja di luar ASN/TNI/Polri, 38 kab/kota, Kemnaker/BPS")
    assert not FILE_PATH.search(re.sub(r"https?://\S+", "", "lihat https://github.com/x/PYB.xlsx."))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", ("3513-kabupaten-probolinggo.html", "provinsi-35.html", "index.html"))
def test_no_file_path_on_a_page(pages, lang, name):
    """No data file (.xlsx, .csv, .parquet) and no folder path anywhere a reader looks; a
    source's web address (which may end in .xlsx) is not a path."""
    folder = pages.folder if lang == "id" else english_pages()
    text = re.sub(r"https?://\S+", "", visible_text((folder / name).read_text(encoding="utf-8")))
    found = [m.group(0) for m in FILE_PATH.finditer(text)]
    assert found == [], found


def test_every_coverage_note_is_worded_in_both_languages_from_its_code():
    from jamsos_lib.compute.coverage import NOTES, note, note_codes
    from jamsos_lib.present.labels import Labels

    for code, template in NOTES.items():
        params = {k: f"<{k}>" for k in re.findall(r"\{(\w+)\}", template)}
        assert note_codes(note(code, **params)) == [(code, params)]
        for lang in ("id", "en"):
            assert Labels(lang).note(note(code, **params)).count("<") == len(params)
    joined = note("no_participants") + "; " + note("no_workers", year=2019)
    assert Labels("id").note(joined) == (
        "tidak ada data peserta bulan ini; tidak ada angka penduduk bekerja BPS 2019 atau sebelumnya"
    )


def test_cli_coverage_notes_follow_lang(tmp_path):
    """``jamsos coverage``: the per-row notes are Indonesian by default and English with
    ``--lang en`` (Kab. Pacitan without participants in June 2025: its own note and the
    province's, 37 of 38)."""
    import pandas as pd

    from jamsos_lib import atomic

    folder = report_fixture.build(tmp_path / "processed")
    participants = pd.read_parquet(folder / "participants.parquet")
    keep = ~((participants["region_code"] == "3501") & (participants["period"] == report_fixture.PERIOD))
    atomic.write_parquet(folder / "participants.parquet", participants[keep].reset_index(drop=True))

    def notes(*lang):
        cmd = [
            sys.executable,
            "-m",
            "jamsos_lib",
            "coverage",
            "--data",
            str(folder),
            "--period",
            report_fixture.PERIOD,
            *lang,
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return [line for line in out.stdout.splitlines() if line.startswith(("Catatan:", "Notes:"))]

    indonesian, english = notes(), notes("--lang", "en")
    assert indonesian == [
        "Catatan: 3501 Kabupaten Pacitan: tidak ada data peserta bulan ini",
        "Catatan: 35 Provinsi Jawa Timur: hanya 37 dari 38 kab/kota punya data peserta bulan ini: "
        "tidak ada jumlah provinsi",
    ]
    assert english == [
        "Notes: 3501 Kabupaten Pacitan: no participant data for this month",
        "Notes: 35 Provinsi Jawa Timur: only 37 of 38 kab/kota have participant data for this month: no province total",
    ]


def test_wording_the_code_puts_on_data_follows_the_page_language():
    """An amendment ("diubah", as the rates table writes it) and a programme's unpublished
    fields (compute writes codes) read in the page's language."""
    from jamsos_lib.compute.scenarios import NOT_PUBLISHED
    from jamsos_lib.present import fmt
    from jamsos_lib.present.labels import Labels
    from jamsos_lib.present.tables import _calibration_note

    assert fmt.legal_bases("PP 44/2015 (diubah PP 82/2019); PP 44/2015", "en") == "PP 44/2015 (amended by PP 82/2019)"
    assert fmt.legal_bases("PP 44/2015 (diubah PP 82/2019)") == "PP 44/2015 (diubah PP 82/2019)"
    code = NOT_PUBLISHED + "persons, months"
    assert _calibration_note(code, Labels("id")) == "tidak diterbitkan: orang, bulan"
    assert _calibration_note(code, Labels("en")) == "not published: persons, months"
