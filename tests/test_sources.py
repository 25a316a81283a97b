"""Sources that serve the reader (issue 14): a page lists the sources its figures use, once
each, publisher and date first, official addresses before news; never another region's."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pandas as pd

from jamsos_lib.compute.sources import cited_sources, used_sources
from jamsos_lib.present import fmt, tables
from jamsos_lib.present.labels import Labels


def _source(source_id, publisher, title, url, date="2025-07-01", status="published"):
    return {
        "source_id": source_id,
        "path": f"{source_id}.csv",
        "kind": "x",
        "title": title,
        "publisher": publisher,
        "url": url,
        "date_accessed": date,
        "period": "2025",
        "status": status,
        "sha256": "0" * 64,
        "note": "",
    }


def _data():
    """Kab. Trenggalek (3503) has its own news source; Kota Surabaya (3578) only shared ones."""
    sources = pd.DataFrame(
        [
            _source("bpjs_all", "BPJS Ketenagakerjaan", "Peserta aktif", "https://www.bpjsketenagakerjaan.go.id/x"),
            _source("news_3503", "Radar Trenggalek", "Berita peserta Trenggalek", "https://radar.example/trenggalek"),
            _source("bps", "BPS Jawa Timur", "Penduduk bekerja", "https://jatim.bps.go.id/y"),
            _source("targets", "Pemprov Jatim", "RPJMD", "https://jdih.jatimprov.go.id/z"),
            _source("rates", "Kemnaker", "Iuran BPU", "https://peraturan.go.id/pp44"),
            _source("unused", "Nobody", "Not used", ""),
        ]
    )
    regional = lambda rows: pd.DataFrame(rows, columns=["region_code", "source_id"])  # noqa: E731
    return SimpleNamespace(
        sources=sources,
        participants=regional([("3503", "bpjs_all"), ("3503", "news_3503"), ("3578", "bpjs_all")]),
        workers=regional([("3503", "bps"), ("3578", "bps"), ("35", "bps")]),
        eligibility=regional([]),
        denominators=regional([]),
        programmes=regional([("3503", "news_3503")]),
        targets=pd.DataFrame(
            {
                "scope": ["province", "region"],
                "region_code": ["35", "3503"],
                "source_id": ["targets", "news_3503"],
                "source_url": ["https://jdih.jatimprov.go.id/z", ""],
            }
        ),
        rates=pd.DataFrame({"source_id": ["rates"]}),
    )


def test_a_region_page_lists_its_own_sources_not_another_region_s():
    data = _data()
    surabaya = used_sources(data, ["3578", "35"])
    assert list(surabaya["source_id"]) == ["bpjs_all", "bps", "targets", "rates"]
    trenggalek = used_sources(data, ["3503", "35"])
    assert list(trenggalek["source_id"]) == ["bpjs_all", "news_3503", "bps", "targets", "rates"]


def _cited_data():
    """A region whose participants come from a news article (two months) and from jamsos's
    own estimates, its denominator from BPS's file, its target from JDIH, the rate from a
    file with no address of its own."""
    data = _data()
    data.sources = pd.concat(
        [
            data.sources,
            pd.DataFrame(
                [
                    _source(
                        "bps/workers.xlsx",
                        "BPS Provinsi Jawa Timur",
                        "Penduduk bekerja (Sakernas Agustus)",
                        "https://github.com/x/dashboard/PYB.xlsx",
                        date="2026-11-22",
                    ),
                    _source(
                        "bpjs/peserta_aktif_2025.xlsx",
                        "jamsos (ilustratif)",
                        "Rekap ilustratif",
                        "illustrative",
                        status="illustrative",
                    ),
                    _source(
                        "bpjs/published.csv",
                        "dihimpun jamsos dari sumber di kolom source_url",
                        "Peserta terbit",
                        "lihat kolom source_url",
                        date="2026-11-22",
                    ),
                ]
            ),
        ],
        ignore_index=True,
    )
    data.participants = pd.DataFrame(
        {
            "region_code": ["3503"] * 2,
            "period": ["2024-10", "2024-11"],
            "source_id": ["bpjs/published.csv"] * 2,
            "source_url": ["https://radar.example/trenggalek"] * 2,
            "published_on": ["2024-10-30", "2024-11-13"],
        }
    )
    return data


def _citations():
    news = "https://radar.example/trenggalek"
    return [
        ("participants", news, "Kab. Trenggalek", "2024-10", False),
        ("participants", news, "Kab. Trenggalek", "2024-11", False),
        ("participants", "bpjs/peserta_aktif_2025.xlsx", "Kab. Trenggalek", "2025-01", True),
        ("participants", "bpjs/peserta_aktif_2025.xlsx", "Kab. Trenggalek", "2025-06", True),
        ("denominator", "bps/workers.xlsx", "Kab. Trenggalek", "2025-06", False),
        ("target", "https://jdih.jatimprov.go.id/z", "Provinsi Jawa Timur", 2025, False),
        ("rate", "rates", "", None, False),
    ]


def test_sources_one_line_each_publisher_and_date_first_official_first_estimates_apart():
    cited = cited_sources(_cited_data(), _citations())
    markup = tables.sources_footer(cited, Labels("id")).data
    lines = [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li[^>]*>.*?</li>", markup)]
    assert lines == [
        # official publishers first (BPS by its name although its copy lives on GitHub; JDIH by address)
        "BPS Provinsi Jawa Timur · diakses 22 November 2026 — Penduduk bekerja (Sakernas Agustus) (penyebut Jun 2025): "
        "Kab. Trenggalek; https://github.com/x/dashboard/PYB.xlsx",
        "JDIH Pemprov Jawa Timur · diakses 1 Juli 2025 — target 2025: Provinsi Jawa Timur; "
        "https://jdih.jatimprov.go.id/z",
        "Kemnaker · diakses 1 Juli 2025 — Iuran BPU (iuran); https://peraturan.go.id/pp44",
        # news: the outlet named by its address, the latest date the figures were published
        "radar.example · 13 November 2024 — peserta aktif Okt 2024–Nov 2024: Kab. Trenggalek; "
        "https://radar.example/trenggalek",
        # jamsos's estimates apart, by method, never as a publisher
        "Estimasi jamsos: peserta aktif di bulan dan daerah tanpa angka terbit, dibangkitkan melewati angka terbit "
        "terdekat; Kab. Trenggalek, Jan 2025–Jun 2025",
    ]
    assert "dihimpun" not in markup and "jamsos (ilustratif)" not in markup
    assert "<a " not in markup  # addresses are text, never links
    english = tables.sources_footer(cited, Labels("en")).data
    assert "13 November 2024" in english and "accessed 22 November 2026" in english and "jamsos estimate:" in english


def test_a_publisher_is_named_from_its_address():
    from jamsos_lib.compute.sources import official_publisher, publisher_of

    assert publisher_of("https://jatim.antaranews.com/amp/berita/1") == ("ANTARA Jatim", False)
    assert publisher_of("https://www.bpjsketenagakerjaan.go.id/berita/1") == ("BPJS Ketenagakerjaan", True)
    assert publisher_of("https://www.kabarbisnis.com/read/1") == ("kabarbisnis.com", False)
    assert publisher_of("https://kabar.tulungagung.go.id/x") == ("Pemkab Tulungagung", True)
    assert official_publisher("BPS Provinsi Jawa Timur") and not official_publisher("jamsos (ilustratif)")


def test_a_regulation_is_named_once():
    assert fmt.legal_bases("PP 44/2015 (diubah PP 82/2019); PP 44/2015") == "PP 44/2015 (diubah PP 82/2019)"
    assert fmt.legal_bases("PP 44/2015; Perpres 109/2013") == "PP 44/2015; Perpres 109/2013"
