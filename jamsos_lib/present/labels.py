"""Report wording in Indonesian (default) and English.

Every visible word of a report page that is not data comes from here, so a page is in
one language throughout. :func:`labels` returns a :class:`Labels` mapping; a missing key
raises ``KeyError`` (a typo must fail in tests, not print a key on an official's page).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("id", "en")

_TEXT: dict[str, dict[str, str]] = {
    "id": {
        "banner_title": "DATA ILUSTRATIF — bukan angka resmi",
        "banner_body": (
            "Sebagian angka di halaman ini dibangkitkan untuk ilustrasi karena data resmi per "
            "kabupaten/kota belum tersedia. Jangan mengutipnya sebagai statistik. Sumber tiap angka "
            "ada di bagian \u201cSumber data\u201d."
        ),
        "region_report_title": "Cakupan Jaminan Sosial Ketenagakerjaan",
        "province_title": "Cakupan Jaminan Sosial Ketenagakerjaan: {n_regions} Kabupaten/Kota",
        "subsidy_title": "Skenario Bantuan Iuran",
        "scenario_index_title": "Skenario bantuan iuran",
        "scenario_index_intro": "Halaman skenario yang sudah dibuat, satu per kabupaten/kota.",
        "period": "Periode",
        "coverage": "Cakupan",
        "coverage_pct": "Cakupan (%)",
        "target": "Target",
        "target_pct": "Target (%)",
        "target_source": "Sumber target",
        "gap": "Selisih ke target",
        "gap_pp": "Selisih (poin persen)",
        "gap_persons": "Pekerja yang perlu dilindungi",
        "status": "Status",
        "participants": "Peserta aktif",
        "workers": "Pekerja",
        "denominator_eligible": "pekerja yang memenuhi syarat (UCJ)",
        "denominator_bps": "penduduk bekerja (BPS)",
        "denominator": "Penyebut",
        "trend_title": "Tren 24 bulan per segmen",
        "rank_title": "Peringkat di antara {n_regions} kabupaten/kota",
        "rank_text": "Peringkat {rank} dari {total}",
        "gap_title": "Selisih ke target dan proyeksi",
        "projection_method": (
            "Metode proyeksi: kemiringan Theil–Sen (median kenaikan antara setiap dua bulan, "
            "tidak terpengaruh lonjakan satu bulan) atas jumlah peserta aktif {months} bulan "
            "terakhir, diteruskan dari jumlah peserta bulan ini. Penyebut tetap sampai akhir "
            "tahun target (semua bulan dalam setahun memakai Sakernas Agustus yang sama), "
            "sesudahnya mengikuti trennya sendiri. Di luar tahun target hanya tahunnya yang "
            "disebut. Berisiko = pada laju ini kurang paling banyak 5 poin persen dari target "
            "di akhir tahun target."
        ),
        "target_basis": "Dasar target",
        "target_chain": "Target tahun ini: daerah → provinsi → nasional",
        "long_term_target": "Target jangka panjang (ditampilkan terpisah, bukan target tahun ini)",
        "not_comparable": "Target ini ditetapkan atas penyebut lain, jadi tidak dibandingkan dengan cakupan di halaman ini",
        "projected_year_end": "Perkiraan cakupan akhir tahun target",
        "reach_year": "tahun {year}",
        "per_month_persons": "orang per bulan",
        # the decision block (first screen): coverage of what, target of which year, gap, cost, pace
        "coverage_of": "dari {denominator}",
        "target_of_year": "Target {year}",
        "gap_persons_note": "{persons} pekerja perlu dilindungi",
        "target_reached": "target tercapai",
        "surplus_note": "{pp} di atas target · {persons} orang lebih",
        "close_cost": "Biaya menutup selisih",
        "close_cost_note": "{months} bulan ({span}) × {rate} paket resmi",
        "close_cost_12m": "tidak ada bulan tersisa di {year}: biaya setahun penuh, 12 bulan × {rate} paket resmi",
        "close_cost_12m_unit": "(12 bulan)",
        "close_cost_zero": "tidak perlu biaya: target tercapai",
        "pace_needed": "Dibutuhkan per bulan",
        "trend_total": "Total = cakupan",
        "trend_ylabel": "% dari penyebut",
        "trend_note": (
            "Garis tebal: cakupan (semua segmen UCJ ÷ penyebut). Garis segmen: peserta segmen itu ÷ "
            "seluruh penyebut daerah, yaitu bagiannya dari penyebut, bukan cakupan segmen itu sendiri "
            "(data kab/kota tidak memuat penyebut per segmen)."
        ),
        "trend_alt": (
            "Grafik tren {name}: cakupan {start} pada {first} dan {end} pada {last}; garis segmen "
            "menunjukkan bagian tiap segmen dari seluruh penyebut."
        ),
        "trend_alt_none": "Grafik tren {name}: tidak ada angka cakupan.",
        "ranking_alt": (
            "Grafik peringkat cakupan {n} kabupaten/kota: terendah {low_name} {low}, tertinggi {high_name} {high}."
        ),
        "ranking_alt_none": "Grafik peringkat cakupan: tidak ada angka cakupan.",
        "distribution_alt": "Grafik sebaran cakupan {n} kabupaten/kota terhadap target: {counts}.",
        "ranking_alt_highlight": "{name} ditandai: {value}, peringkat {rank} dari {n}.",
        "gap_alt": "Grafik selisih ke target {name}: cakupan bulan ini {coverage}.",
        "gap_alt_target": "Target {target} untuk {year}.",
        "gap_alt_projection": "Dengan laju {trend} orang per bulan, cakupan akhir tahun target {end}.",
        "pace_seen": "orang; laju terlihat: {trend} orang per bulan",
        "province_cost_title": "Biaya menutup selisih: jumlah kab/kota dan selisih bersih provinsi",
        "province_cost_sum": "Jumlah selisih {n} kab/kota di bawah target",
        "province_cost_sum_text": (
            "Menjumlahkan orang yang masih kurang di setiap kab/kota yang belum mencapai "
            "targetnya; kab/kota di atas target dihitung nol, karena kelebihannya tidak "
            "menutup kekurangan daerah lain."
        ),
        "province_cost_net": "Selisih bersih provinsi",
        "province_cost_net_text": (
            "Provinsi sebagai satu kesatuan terhadap target provinsi, dengan penyebut provinsi "
            "sendiri: kelebihan kab/kota yang sudah di atas target ikut menutup kekurangan "
            "yang lain."
        ),
        "province_cost_basis": "Biaya = orang × {months} bulan ({span}) × {rate} per orang per bulan (paket resmi JKK + JKM).",
        "projection": "Proyeksi",
        "projected_reach": "Perkiraan target tercapai",
        "not_reached": "tidak tercapai dengan tren saat ini",
        "needed_per_month": "Kenaikan yang dibutuhkan per bulan",
        "trend_per_month": "Tren per bulan",
        "subsidy_heading": "Skenario bantuan iuran",
        "calibration_heading": "Program bantuan iuran daerah ini",
        "quality_heading": "Catatan kualitas data",
        "quality_none": "Tidak ada catatan kualitas data untuk daerah ini pada periode ini.",
        "accessed": "diakses {date}",
        "cited_participants": "peserta aktif",
        "cited_denominator": "penyebut",
        "cited_target": "target",
        "cited_rate": "iuran",
        "cited_programme": "program bantuan iuran",
        "n_regions_short": "{n} daerah",
        "estimate_by_jamsos": "Estimasi jamsos",
        "estimate_participants": "peserta aktif di bulan dan daerah tanpa angka terbit, dibangkitkan melewati angka "
        "terbit terdekat",
        "estimate_denominator": "penyebut tanpa angka terbit = bagian pekerja yang memenuhi syarat (dari penyebut "
        "yang terbit) × penduduk bekerja BPS",
        # per-row notes of the coverage table (compute.coverage.NOTES), for the CLI's table views
        "note_no_sakernas_before": (
            "belum ada Sakernas Agustus sebelum {year} di data: dipakai BPS {bps_year} (terbit November tahun itu)"
        ),
        "note_no_workers_or_ucj": "tidak ada angka penduduk bekerja BPS {year} atau sebelumnya dan tidak ada penyebut "
        "UCJ yang terbit",
        "note_no_share": (
            "tidak ada bagian pekerja yang memenuhi syarat untuk {code} atau provinsinya pada {year} atau "
            "sebelumnya, dan tidak ada penyebut UCJ yang terbit"
        ),
        "note_zero_workers": "penduduk bekerja nol: cakupan tidak terdefinisi",
        "note_no_participants": "tidak ada data peserta bulan ini",
        "note_partial_province": (
            "hanya {n} dari {total} kab/kota punya data peserta bulan ini: tidak ada jumlah provinsi"
        ),
        "note_province_own": "angka terbit provinsi sendiri (bukan jumlah kab/kotanya)",
        "note_province_segments_only": "hanya {segments} yang terbit untuk provinsi bulan ini: tidak ada jumlah provinsi",
        "note_no_workers": "tidak ada angka penduduk bekerja BPS {year} atau sebelumnya",
        "not_published": "tidak diterbitkan: {fields}",
        "sources_heading": "Sumber data",
        "source": "Sumber",
        "publisher": "Penerbit",
        "source_status": "Status",
        "status_published": "resmi (terbit)",
        "status_illustrative": "ilustratif",
        "status_mixed": "campuran (sebagian resmi)",
        "provenance": "Asal data",
        "generated": "Dibuat",
        "version": "versi jamsos",
        "data_built": "data diproses",
        "revision": "revisi",
        "month": "Bulan",
        "region": "Kabupaten/Kota",
        "region_short": "Daerah",
        "code": "Kode",
        "severity": "Tingkat",
        "message": "Catatan",
        "file": "Berkas",
        "warning": "peringatan",
        "error": "galat",
        "ranking_title": "Peringkat cakupan",
        "tile_title": "Peta petak: cakupan per kabupaten/kota",
        "tile_note": "Petak disusun menurut letak geografis kasar, bukan peta skala.",
        "map_title": "Peta cakupan per kabupaten/kota",
        "map_note": (
            "Nomor di peta menunjuk daftar di bawahnya. Pulau yang jauh (Bawean, Masalembu, "
            "Kangean–Sapeken) digambar dalam kotak bernama, dengan skala yang sama."
        ),
        "map_status_title": "Status terhadap target",
        "map_status_note": "Nomor daerah seperti pada peta cakupan di atas.",
        "map_region_title": "Letak daerah ini di {province}",
        "map_alt_coverage": (
            "Peta {where}: cakupan {n} kabupaten/kota, terendah {low_name} {low}, tertinggi {high_name} {high}."
        ),
        "map_alt_coverage_none": "Peta {where}: {n} kabupaten/kota, tanpa angka cakupan.",
        "map_alt_status": "Peta {where}: status {n} kabupaten/kota terhadap target: {counts}.",
        "map_alt_highlight": "{name} ditandai oranye: {value}.",
        "distribution_title": "Sebaran cakupan terhadap target",
        "movers_title": "Perubahan terbesar",
        "mom": "Perubahan sebulan (pp)",
        "yoy": "Perubahan setahun (pp)",
        "table_title": "Tabel lengkap",
        "table_more": "Kolom lainnya: peserta, penyebut, perubahan, status data",
        "province": "Jawa Timur",
        "regions_count": "kabupaten/kota",
        "scenario": "Skenario",
        "persons": "Orang",
        "months": "Bulan",
        "rate": "Iuran per orang per bulan",
        "rate_short": "Iuran/orang/bulan",
        "budget": "Anggaran",
        "coverage_after": "Cakupan sesudah",
        "index_title": "Laporan Cakupan Jamsostek {province}",
        "index_intro": "Satu halaman per kabupaten/kota, ditambah ringkasan provinsi.",
        "report": "Laporan",
        "open": "buka",
        "province_page": "Ringkasan provinsi ({n_regions} kabupaten/kota)",
        "segment": "Segmen",
        "highlight_note": "Daerah ini ditandai oranye.",
        "no_target": "tidak ada target",
        "back_to_index": "Kembali ke daftar laporan",
        "chart_alt": "Grafik; angka yang sama ada di teks dan tabel halaman ini.",
        "page_failed": "halaman gagal dibuat bulan ini",
        "page_not_run": "halaman belum dibuat",
        "provinces_count": "provinsi",
        "scenario_close_gap": "Menutup selisih ke target, sisa bulan tahun target",
        "scenario_close_gap_12m": "Menutup selisih ke target, setahun penuh (12 bulan)",
        "scenario_budget": "Anggaran yang tersedia",
        "scenario_persons": "Jumlah orang tertentu",
        "scenario_programme": "Program daerah yang berjalan tahun ini (penerima sudah terhitung)",
        "new_persons": "Peserta baru",
        "rate_used": "Tarif yang dipakai",
        "rate_kind_official": "paket resmi",
        "rate_kind_programme": "tarif program daerah",
        "rate_kind_user": "tarif dari pengguna",
        "already_counted_note": (
            "Penerima program yang berjalan tahun ini sudah termasuk dalam jumlah peserta "
            "bulan ini: tidak dihitung lagi sebagai peserta baru."
        ),
        "scenario_multi_year": "Beberapa tahun",
        "cost": "Biaya",
        "unspent": "Sisa anggaran",
        "no_scenarios": "Tidak ada skenario: target sudah tercapai dan tidak ada anggaran yang diberikan.",
        "no_programmes": "Belum ada data program bantuan iuran untuk daerah ini.",
        "year": "Tahun",
        "funding_source": "Sumber dana",
        "per_person_month": "Biaya per orang per bulan",
        "per_person_per_month": "per orang per bulan",
        "official_package": "Paket resmi",
        "difference": "Selisih",
        "rate_basis": "Dasar iuran",
        "scenario_note": (
            "Biaya = orang × iuran per orang per bulan × bulan. Cakupan sesudah = (peserta + peserta "
            "baru) ÷ penyebut yang sama."
        ),
    },
    "en": {
        "banner_title": "ILLUSTRATIVE DATA — not official figures",
        "banner_body": (
            "Some figures on this page were generated for illustration because official "
            "kab/kota data are not available. Do not cite them as statistics. Each figure's "
            "source is listed under \u201cData sources\u201d."
        ),
        "region_report_title": "Employment social security coverage",
        "province_title": "Employment social security coverage: {n_regions} regencies/cities",
        "subsidy_title": "Contribution subsidy scenarios",
        "scenario_index_title": "Contribution subsidy scenarios",
        "scenario_index_intro": "The scenario pages made so far, one per regency/city.",
        "period": "Period",
        "coverage": "Coverage",
        "coverage_pct": "Coverage (%)",
        "target": "Target",
        "target_pct": "Target (%)",
        "target_source": "Target source",
        "gap": "Gap to target",
        "gap_pp": "Gap (percentage points)",
        "gap_persons": "Workers still to cover",
        "status": "Status",
        "participants": "Active participants",
        "workers": "Workers",
        "denominator_eligible": "eligible workers (UCJ)",
        "denominator_bps": "employed population (BPS)",
        "denominator": "Denominator",
        "trend_title": "24-month trend by segment",
        "rank_title": "Rank among the {n_regions} regencies/cities",
        "rank_text": "Rank {rank} of {total}",
        "gap_title": "Gap to target and projection",
        "projection_method": (
            "Projection method: Theil–Sen slope (the median increase between every two months, "
            "not moved by a one-month jump) of total active participants over the last {months} "
            "months, carried forward from this month's count. The denominator is held fixed "
            "to the end of the target year (every month of a year uses the same August "
            "Sakernas), then follows its own trend. Beyond the target year only the year is "
            "given. At risk = at this pace at most 5 percentage points short of the target at "
            "the end of the target year."
        ),
        "target_basis": "Target basis",
        "target_chain": "This year's target: region → province → national",
        "long_term_target": "Long-horizon target (shown apart, not this year's target)",
        "not_comparable": "This target was set on another denominator, so it is not compared with the coverage on this page",
        "projected_year_end": "Projected coverage at the end of the target year",
        "reach_year": "in {year}",
        "per_month_persons": "persons per month",
        # the decision block (first screen): coverage of what, target of which year, gap, cost, pace
        "coverage_of": "of {denominator}",
        "target_of_year": "Target {year}",
        "gap_persons_note": "{persons} workers still to cover",
        "target_reached": "target reached",
        "surplus_note": "{pp} above target · {persons} persons more",
        "close_cost": "Cost of closing the gap",
        "close_cost_note": "{months} months ({span}) × {rate} official package",
        "close_cost_12m": "no month left in {year}: the cost of a full year, 12 months × {rate} official package",
        "close_cost_12m_unit": "(12 months)",
        "close_cost_zero": "no cost: target reached",
        "pace_needed": "Needed per month",
        "trend_total": "Total = coverage",
        "trend_ylabel": "% of denominator",
        "trend_note": (
            "Thick line: coverage (all UCJ segments ÷ the denominator). Segment lines: that segment's "
            "participants ÷ the region's whole denominator, i.e. its share of the denominator, not the "
            "segment's own coverage (the kab/kota data have no denominator per segment)."
        ),
        "trend_alt": (
            "Trend chart of {name}: coverage {start} in {first} and {end} in {last}; the segment lines "
            "show each segment's share of the whole denominator."
        ),
        "trend_alt_none": "Trend chart of {name}: no coverage figures.",
        "ranking_alt": (
            "Coverage ranking of {n} regencies/cities: lowest {low_name} {low}, highest {high_name} {high}."
        ),
        "ranking_alt_none": "Coverage ranking: no coverage figures.",
        "distribution_alt": "Coverage of {n} regencies/cities against the target: {counts}.",
        "ranking_alt_highlight": "{name} is highlighted: {value}, rank {rank} of {n}.",
        "gap_alt": "Gap-to-target chart of {name}: coverage this month {coverage}.",
        "gap_alt_target": "Target {target} for {year}.",
        "gap_alt_projection": "At {trend} persons per month, coverage at the end of the target year {end}.",
        "pace_seen": "persons; pace seen: {trend} persons per month",
        "province_cost_title": "Cost of closing the gap: the regencies/cities added up and the province's net gap",
        "province_cost_sum": "Gaps of the {n} regencies/cities below target, added up",
        "province_cost_sum_text": (
            "Adds up the persons still missing in every regency/city below its target; "
            "those above target count zero, because their surplus does not close another "
            "region's gap."
        ),
        "province_cost_net": "The province's net gap",
        "province_cost_net_text": (
            "The province as a whole against the province target, on the province's own "
            "denominator: the surplus of regencies/cities above target offsets the others' "
            "shortfall."
        ),
        "province_cost_basis": (
            "Cost = persons × {months} months ({span}) × {rate} per person per month (official JKK + JKM package)."
        ),
        "projection": "Projection",
        "projected_reach": "Projected to reach target",
        "not_reached": "not reached on the current trend",
        "needed_per_month": "Increase needed per month",
        "trend_per_month": "Trend per month",
        "subsidy_heading": "Contribution subsidy scenarios",
        "calibration_heading": "This region's subsidy programmes",
        "quality_heading": "Data quality notes",
        "quality_none": "No data quality notes for this region in this period.",
        "accessed": "accessed {date}",
        "cited_participants": "active participants",
        "cited_denominator": "denominator",
        "cited_target": "target",
        "cited_rate": "contribution rate",
        "cited_programme": "contribution-assistance programme",
        "n_regions_short": "{n} regions",
        "estimate_by_jamsos": "jamsos estimate",
        "estimate_participants": "active participants for months and regions without a published figure, generated "
        "through the nearest published figures",
        "estimate_denominator": "denominator without a published figure = share of eligible workers (from the "
        "published denominators) × BPS employed",
        # per-row notes of the coverage table (compute.coverage.NOTES), for the CLI's table views
        "note_no_sakernas_before": (
            "no August Sakernas before {year} in the data: BPS {bps_year} used (published in November of that year)"
        ),
        "note_no_workers_or_ucj": "no BPS workers figure for {year} or earlier and no published UCJ denominator",
        "note_no_share": (
            "no eligible-worker share for {code} or its province in {year} or earlier, and no published UCJ denominator"
        ),
        "note_zero_workers": "zero workers: coverage not defined",
        "note_no_participants": "no participant data for this month",
        "note_partial_province": "only {n} of {total} kab/kota have participant data for this month: no province total",
        "note_province_own": "the province's own published figure (not the sum of its kab/kota)",
        "note_province_segments_only": "only {segments} published for the province this month: no province total",
        "note_no_workers": "no BPS workers figure for {year} or earlier",
        "not_published": "not published: {fields}",
        "sources_heading": "Data sources",
        "source": "Source",
        "publisher": "Publisher",
        "source_status": "Status",
        "status_published": "published",
        "status_illustrative": "illustrative",
        "status_mixed": "mixed (partly published)",
        "provenance": "Data provenance",
        "generated": "Generated",
        "version": "jamsos version",
        "data_built": "data processed",
        "revision": "revision",
        "month": "Month",
        "region": "Regency/city",
        "region_short": "Region",
        "code": "Code",
        "severity": "Severity",
        "message": "Note",
        "file": "File",
        "warning": "warning",
        "error": "error",
        "ranking_title": "Coverage ranking",
        "tile_title": "Tile map: coverage by regency/city",
        "tile_note": "Tiles are placed by rough geography, not a scale map.",
        "map_title": "Map of coverage by regency/city",
        "map_note": (
            "Numbers on the map refer to the list below it. Far islands (Bawean, Masalembu, "
            "Kangean–Sapeken) are drawn in named boxes, at the same scale."
        ),
        "map_status_title": "Status against the target",
        "map_status_note": "Region numbers as on the coverage map above.",
        "map_region_title": "Where this region lies in {province}",
        "map_alt_coverage": (
            "Map of {where}: coverage of {n} regencies/cities, lowest {low_name} {low}, highest {high_name} {high}."
        ),
        "map_alt_coverage_none": "Map of {where}: {n} regencies/cities, no coverage figures.",
        "map_alt_status": "Map of {where}: status of {n} regencies/cities against the target: {counts}.",
        "map_alt_highlight": "{name} is outlined in orange: {value}.",
        "distribution_title": "Coverage against target",
        "movers_title": "Biggest movers",
        "mom": "Month-on-month change (pp)",
        "yoy": "Year-on-year change (pp)",
        "table_title": "Full table",
        "table_more": "More columns: participants, denominator, changes, data status",
        "province": "East Java",
        "regions_count": "regencies/cities",
        "scenario": "Scenario",
        "persons": "Persons",
        "months": "Months",
        "rate": "Contribution per person per month",
        "rate_short": "Rate/person/month",
        "budget": "Budget",
        "coverage_after": "Coverage after",
        "index_title": "Jamsostek coverage reports: {province}",
        "index_intro": "One page per regency/city, plus the province overview.",
        "report": "Report",
        "open": "open",
        "province_page": "Province overview ({n_regions} regencies/cities)",
        "segment": "Segment",
        "highlight_note": "This region is highlighted in orange.",
        "no_target": "no target",
        "back_to_index": "Back to the list of reports",
        "chart_alt": "Chart; the same figures are in the text and tables of this page.",
        "page_failed": "page failed this month",
        "page_not_run": "page not produced",
        "provinces_count": "provinces",
        "scenario_close_gap": "Close the gap to target, months left in the target year",
        "scenario_close_gap_12m": "Close the gap to target, a full year (12 months)",
        "scenario_budget": "Available budget",
        "scenario_persons": "A given number of persons",
        "scenario_programme": "The region's programme running this year (recipients already counted)",
        "new_persons": "New participants",
        "rate_used": "Rate used",
        "rate_kind_official": "official package",
        "rate_kind_programme": "the region's programme rate",
        "rate_kind_user": "rate given by the user",
        "already_counted_note": (
            "Recipients of a programme running this year are already in this month's "
            "participant count: they are not counted again as new participants."
        ),
        "scenario_multi_year": "Several years",
        "cost": "Cost",
        "unspent": "Budget left",
        "no_scenarios": "No scenario: the target is reached and no budget was given.",
        "no_programmes": "No contribution subsidy programme data for this region yet.",
        "year": "Year",
        "funding_source": "Funding source",
        "per_person_month": "Cost per person per month",
        "per_person_per_month": "per person per month",
        "official_package": "Official package",
        "difference": "Difference",
        "rate_basis": "Rate basis",
        "scenario_note": (
            "Cost = persons × contribution per person per month × months. Coverage after = "
            "(participants + new participants) ÷ the same denominator."
        ),
    },
}

SEGMENT_LABELS = {
    "id": {
        "PU": "Penerima Upah (PU)",
        "BPU": "Bukan Penerima Upah (BPU)",
        "JAKON": "Jasa Konstruksi",
        "PMI": "Pekerja Migran (PMI)",
        "TOTAL": "Total",
    },
    "en": {
        "PU": "Wage earners (PU)",
        "BPU": "Non-wage earners (BPU)",
        "JAKON": "Construction (Jakon)",
        "PMI": "Migrant workers (PMI)",
        "TOTAL": "Total",
    },
}


#: Placeholders some texts carry, filled from the report's province (``Labels(lang, province=...,
#: n_regions=...)``); the defaults are Jawa Timur's so a page without context still reads well.
DEFAULT_CONTEXT = {"province": "Jawa Timur", "n_regions": 38}


class Labels(Mapping):
    """Read-only wording for one language; ``labels["coverage"]``, ``labels.segment("PU")``.

    Texts with ``{province}`` / ``{n_regions}`` are filled from the keyword arguments, so a
    page about another province never says "Jawa Timur" or "38"."""

    def __init__(self, lang: str, **context):
        if lang not in _TEXT:
            raise ValueError(f"language {lang!r} not supported (expected one of {', '.join(LANGS)})")
        self.lang = lang
        self._text = _TEXT[lang]
        self._context = {**DEFAULT_CONTEXT, **{k: v for k, v in context.items() if v is not None}}

    def __getitem__(self, key: str) -> str:
        text = self._text[key]
        return text.format(**self._context) if "{province}" in text or "{n_regions}" in text else text

    def __iter__(self):
        return iter(self._text)

    def __len__(self) -> int:
        return len(self._text)

    def segment(self, code: str) -> str:
        return SEGMENT_LABELS[self.lang].get(code, code)

    def note(self, text: str) -> str:
        """A coverage row's ``note`` (``compute.coverage.NOTES``, English) in this language,
        each note from its code and parameters; text that is no known note as it is."""
        from jamsos_lib.compute.coverage import note_codes

        return "; ".join(
            self._text[f"note_{code}"].format(**params) if code else params["text"] for code, params in note_codes(text)
        )

    def source_status(self, status: str) -> str:
        return self._text.get(f"status_{status}", status)


def labels(lang: str = "id") -> Labels:
    return Labels(lang)
