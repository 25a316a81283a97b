"""Sources that serve the reader (issue 14): a page lists the sources its figures use, once
each, publisher and date first, official addresses before news; never another region's."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

from jamsos_lib.compute.sources import used_sources
from jamsos_lib.present import fmt, tables
from jamsos_lib.present.labels import Labels


def _source(source_id, publisher, title, url, date="2025-07-01", status="published"):
    return {"source_id": source_id, "path": f"{source_id}.csv", "kind": "x", "title": title, "publisher": publisher,
            "url": url, "date_accessed": date, "period": "2025", "status": status, "sha256": "0" * 64, "note": ""}


def _data():
    """Kab. Trenggalek (3503) has its own news source; Kota Surabaya (3578) only shared ones."""
    sources = pd.DataFrame([
        _source("bpjs_all", "BPJS Ketenagakerjaan", "Peserta aktif", "https://www.bpjsketenagakerjaan.go.id/x"),
        _source("news_3503", "Radar Trenggalek", "Berita peserta Trenggalek", "https://radar.example/trenggalek"),
        _source("bps", "BPS Jawa Timur", "Penduduk bekerja", "https://jatim.bps.go.id/y"),
        _source("targets", "Pemprov Jatim", "RPJMD", "https://jdih.jatimprov.go.id/z"),
        _source("rates", "Kemnaker", "Iuran BPU", "https://peraturan.go.id/pp44"),
        _source("unused", "Nobody", "Not used", ""),
    ])
    regional = lambda rows: pd.DataFrame(rows, columns=["region_code", "source_id"])  # noqa: E731
    return SimpleNamespace(
        sources=sources,
        participants=regional([("3503", "bpjs_all"), ("3503", "news_3503"), ("3578", "bpjs_all")]),
        workers=regional([("3503", "bps"), ("3578", "bps"), ("35", "bps")]),
        eligibility=regional([]), denominators=regional([]), programmes=regional([("3503", "news_3503")]),
        targets=pd.DataFrame({"scope": ["province", "region"], "region_code": ["35", "3503"],
                              "source_id": ["targets", "news_3503"]}),
        rates=pd.DataFrame({"source_id": ["rates"]}),
    )


def test_a_region_page_lists_its_own_sources_not_another_region_s():
    data = _data()
    surabaya = used_sources(data, ["3578", "35"])
    assert list(surabaya["source_id"]) == ["bpjs_all", "bps", "targets", "rates"]
    trenggalek = used_sources(data, ["3503", "35"])
    assert list(trenggalek["source_id"]) == ["bpjs_all", "news_3503", "bps", "targets", "rates"]


def test_sources_one_line_each_publisher_and_date_first_official_addresses_first():
    data = _data()
    shown = used_sources(data, ["3503", "35"])
    twice = pd.concat([shown, shown.iloc[[0]].assign(source_id="bpjs_again")])  # the same source, two files
    markup = tables.sources_footer(twice, Labels("id")).data
    lines = re.findall(r"<li[^>]*><strong>(.*?)</strong>", markup)
    # official addresses (BPJS, BPS, JDIH, peraturan.go.id) first, news last; each source once
    assert lines == ["BPJS Ketenagakerjaan · Juli 2025", "BPS Jawa Timur · Juli 2025", "Kemnaker · Juli 2025",
                     "Pemprov Jatim · Juli 2025", "Radar Trenggalek · Juli 2025"]
    assert markup.count("Peserta aktif") == 1 and "Not used" not in markup
    assert "<a " not in markup  # addresses are text, never links


def test_a_regulation_is_named_once():
    assert fmt.legal_bases("PP 44/2015 (diubah PP 82/2019); PP 44/2015") == "PP 44/2015 (diubah PP 82/2019)"
    assert fmt.legal_bases("PP 44/2015; Perpres 109/2013") == "PP 44/2015; Perpres 109/2013"
