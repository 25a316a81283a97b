"""The province map: the shipped boundary file, its converter, and the choropleth drawn from it."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path as MplPath
from PIL import Image

from jamsos_lib import paths
from jamsos_lib.errors import InputError
from jamsos_lib.present import charts, fmt, maps, style
from jamsos_lib.present.labels import Labels
from jamsos_lib.read.boundaries import load_boundaries
from jamsos_lib.regions import load_registry

ROOT = Path(__file__).resolve().parents[1]
GEOJSON = paths.REFERENCE / "jatim_kabkota.geojson"
KOTA_IN_KAB = {
    "3571": "3506",
    "3572": "3505",
    "3573": "3507",
    "3574": "3513",
    "3575": "3514",
    "3576": "3516",
    "3577": "3519",
    "3579": "3507",
}


def _converter():
    spec = importlib.util.spec_from_file_location("convert_boundaries", ROOT / "tools" / "convert_boundaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _no_kept_charts():
    charts.forget_kept()
    yield
    charts.forget_kept()


# ------------------------------------------------------------------ the shipped file


def test_all_38_kabkota_of_the_registry_join_the_boundaries():
    registry = load_registry().kabkota("35")
    b = load_boundaries("35")
    assert len(registry) == 38
    assert sorted(b["region_code"]) == sorted(registry["region_code"])
    # the source's dotted BPS code is the registry code without its dot, and names agree
    assert (b["bps_code"].str.replace(".", "", regex=False) == b["region_code"]).all()
    names = registry.set_index("region_code")["official_name"]
    assert all(names[c] == n for c, n in zip(b["region_code"], b["name"]))


def test_the_shipped_file_is_small_licensed_and_in_the_package_data():
    assert GEOJSON.stat().st_size < 100_000  # the source SQL is 232 KB
    meta = json.loads(GEOJSON.read_text(encoding="utf-8"))["metadata"]
    assert "MIT" in meta["licence"] and "Cahya DSN" in meta["licence"]
    licence = (paths.REFERENCE / "LICENSE-wilayah_boundaries").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) 2024 Cahya DSN" in licence
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "reference/*" in package_data["jamsos_lib"]


def test_islands_are_kept():
    b = load_boundaries("35").set_index("region_code")
    # Sumenep: Madura's east end, Sapudi/Raas, Kangean, Sapeken and Masalembu (north of 5.7° S)
    sumenep = b.at["3529", "parts"]
    assert len(sumenep) >= 10
    assert any(poly[0][:, 1].max() > -5.7 for poly in sumenep)  # Masalembu
    assert any(poly[0][:, 0].min() > 115.0 for poly in sumenep)  # Kangean and beyond
    assert any(poly[0][:, 1].max() > -6.0 for poly in b.at["3525", "parts"])  # Bawean (Gresik)


def test_a_broken_boundary_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}')
    with pytest.raises(InputError) as err:
        load_boundaries(path=bad)
    assert "bad.geojson" in str(err.value) and "row 1" in str(err.value)
    (tmp_path / "worse.geojson").write_text("not json")
    with pytest.raises(InputError, match="worse.geojson"):
        load_boundaries(path=tmp_path / "worse.geojson")


# ------------------------------------------------------------------ the converter


def test_douglas_peucker_keeps_only_points_farther_than_the_tolerance():
    dp = _converter().douglas_peucker
    line = np.array([[0, 0], [1, 0.1], [2, 0], [3, 0.5], [4, 0]], dtype=float)
    # chord (0,0)-(4,0): [3, 0.5] is 0.5 away, the farthest. Then chord (0,0)-(3,0.5), length
    # 3.0414: [2, 0] is |3*0 - 0.5*2| / 3.0414 = 0.329 away, [1, 0.1] |3*0.1 - 0.5*1| / 3.0414 = 0.066;
    # then chord (0,0)-(2,0): [1, 0.1] is 0.1 away
    assert dp(line, 0.35).tolist() == [[0, 0], [3, 0.5], [4, 0]]
    assert dp(line, 0.2).tolist() == [[0, 0], [2, 0], [3, 0.5], [4, 0]]
    assert dp(line, 0.05).tolist() == line.tolist()
    assert dp(line, 0.6).tolist() == [[0, 0], [4, 0]]


SQL = """/* header */
INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
\t('35.01','Kabupaten Satu',-7.5,111.5,'[[[-8,111],[-8,112],[-8.00001,112.5],[-7,112.5],[-7,111],[-8,111]]]'),
\t('35.71','Kota Dua',-7.5,113.5,'[[[[-8,113],[-8,114],[-7,114],[-7,113],[-8,113]]],[[[-6,113],[-6,113.001],[-5.999,113.001],[-6,113]]]]');
"""


def test_the_converter_swaps_to_lng_lat_drops_islets_and_simplifies():
    collection = _converter().convert(SQL, tolerance=0.002, min_area=2e-5)
    one, two = collection["features"]
    assert one["properties"]["region_code"] == "3501" and one["properties"]["bps_code"] == "35.01"
    # [lat, lng] -> [lng, lat]; the point on the southern edge (112, -8) is simplified away (it is
    # 0.0000033° from the edge's chord), and -8.00001 rounds to -8.0
    ((ring,),) = one["geometry"]["coordinates"]
    assert ring == [[111.0, -8.0], [112.5, -8.0], [112.5, -7.0], [111.0, -7.0], [111.0, -8.0]]
    # Kota Dua's islet of 5e-7 square degrees is left out, its 1 x 1 degree square kept
    assert two["properties"]["region_code"] == "3571"
    assert len(two["geometry"]["coordinates"]) == 1
    # the label point lies inside the region
    lng, lat = two["properties"]["label"]
    assert 113 < lng < 114 and -8 < lat < -7
    assert "MIT" in collection["metadata"]["licence"]


def test_the_converter_reproduces_the_shipped_file_when_the_source_is_there(tmp_path):
    sql = ROOT.parent / "shared" / "reference" / "geo" / "wilayah_boundaries_kab_35.sql"
    if not sql.exists():
        pytest.skip("the source SQL lives in the shared folder, not in the repository")
    out = tmp_path / "out.geojson"
    assert _converter().main([str(sql), "--out", str(out)]) == 0
    assert out.read_bytes() == GEOJSON.read_bytes()


# ------------------------------------------------------------------ the map


def _table(values: dict[str, float] | None = None, statuses: dict[str, str] | None = None) -> pd.DataFrame:
    codes = load_registry().kabkota_codes("35")
    return pd.DataFrame(
        {
            "region_code": codes,
            "level": "kabkota",
            "coverage_pct": [(values or {}).get(c, 20.0) for c in codes],
            "status": [(statuses or {}).get(c, "off_track") for c in codes],
        }
    )


def _pixel_at(fig, ax, lng: float, lat: float) -> str:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    x, y = ax.transData.transform((lng, lat))
    pixels = np.asarray(canvas.buffer_rgba())
    r, g, b, _a = pixels[int(round(pixels.shape[0] - y)), int(round(x))]
    return f"#{r:02x}{g:02x}{b:02x}"


def test_every_region_is_drawn_in_its_colour_and_kota_on_top_of_their_kabupaten():
    # every kabupaten off track (orange), every kota achieved (green): the centre of each kota,
    # which lies inside its kabupaten's outline or hole, must show the kota's colour
    b = load_boundaries().set_index("region_code")
    statuses = {c: ("achieved" if c >= "3571" else "off_track") for c in b.index}
    fig = maps.choropleth(_table(statuses=statuses), Labels("id"), by="status", numbered=False)
    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    height = pixels.shape[0]
    for code, row in b.iterrows():
        x, y = ax.transData.transform((row["label_lng"], row["label_lat"]))
        i, j = int(round(height - y)), int(round(x))
        # (Kota Mojokerto is 8 x 5 px: its centre pixel may blend with the white border; one of
        # the 3 x 3 around it is the pure fill)
        around = {f"#{r:02x}{g:02x}{bl:02x}" for r, g, bl, _a in pixels[i - 1 : i + 2, j - 1 : j + 2].reshape(-1, 4)}
        assert style.STATUS_COLOURS[statuses[code]] in around, code
    # ... and every kota is drawn after (on top of) the kabupaten around it
    codes = list(b.index)
    shapes = maps._shapes("35", codes)
    drawn = [
        next(c for c in codes if np.array_equal(p.vertices, shapes[c].vertices)) for p in ax.collections[0].get_paths()
    ]
    assert sorted(drawn) == sorted(codes)
    for kota, kab in KOTA_IN_KAB.items():
        assert drawn.index(kota) > drawn.index(kab), kota
    # the four enclaves lie inside their kabupaten's outline (in a hole of it)
    for kota, kab in {"3571": "3506", "3572": "3505", "3573": "3507", "3576": "3516"}.items():
        outer = MplPath(b.at[kab, "parts"][0][0])
        assert outer.contains_point((b.at[kota, "label_lng"], b.at[kota, "label_lat"])), kota


def test_coverage_colours_follow_the_bins():
    b = load_boundaries().set_index("region_code")
    values = {c: v for c, v in zip(sorted(b.index), [5.0, 20.0, 30.0, 40.0, 60.0] * 8)}
    fig = maps.choropleth(_table(values), Labels("id"), numbered=False)
    ax = fig.axes[0]
    for code in ("3501", "3502", "3503", "3504", "3505", "3578"):
        expected = {5.0: "#deebf7", 20.0: "#9ecae1", 30.0: "#4292c6", 40.0: "#2171b5", 60.0: "#08306b"}[values[code]]
        assert _pixel_at(fig, ax, b.at[code, "label_lng"], b.at[code, "label_lat"]) == expected, code


def _text_boxes(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [
        (t, t.get_window_extent(renderer))
        for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))
        if t.get_text() and t.get_visible()
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_numbers_are_legible_apart_and_inside_the_image(lang):
    fig = maps.choropleth(_table(), Labels(lang), title=Labels(lang)["map_title"])
    boxes = _text_boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in boxes:
        # 8,5 pt at 110 DPI shown at 366/528 of its size (a 390 px phone) is 9 CSS px
        assert text.get_fontsize() >= maps.MIN_TEXT_PT, text.get_text()
        assert text.get_fontsize() * style.DPI / 72 * 366 / 528 >= 9.0
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, text.get_text()
    numbers = [box for text, box in boxes if text.get_text().isdigit() and text.axes is not None]
    assert len(numbers) == 38
    for i, a in enumerate(numbers):
        for b in numbers[i + 1 :]:
            assert not a.overlaps(b)
    # a small kota keeps its colour in sight: its number sits beside it, not on it
    ax = fig.axes[0]
    shapes = maps._shapes("35", ["3571", "3572", "3576", "3577"])
    number_of = {text.get_text(): box for text, box in boxes if text.get_text().isdigit() and text.axes is not None}
    for code, number in (("3571", "30"), ("3572", "31"), ("3576", "35"), ("3577", "36")):
        assert not number_of[number].overlaps(shapes[code].transformed(ax.transData).get_extents()), code
    listed = [t.get_text() for t, _b in boxes if t.axes is None and re.match(r"\d+ [A-Z]", t.get_text())]
    assert len(listed) == 38 and listed[0] == "1 Pacitan 20%" and "30 Kota Kediri 20%" in listed


def test_the_region_map_outlines_the_region_and_says_so_in_its_alt_text():
    table = _table({"3513": 18.25})
    chart = maps.choropleth_png(table, Labels("id"), highlight="3513", numbered=False)
    pixels = np.asarray(Image.open(io.BytesIO(chart.data)).convert("RGB"))
    orange = np.all(pixels == np.array([0xD5, 0x5E, 0x00]), axis=-1)
    assert orange.sum() > 200  # the outline and the name's frame
    assert chart.alt.startswith("Peta Jawa Timur: cakupan 38 kabupaten/kota")
    assert "Kab. Probolinggo ditandai oranye: 18,25%." in chart.alt  # as precise as the headline
    assert "terendah Kab. Probolinggo 18,3%" in chart.alt
    none = maps.choropleth_png(table, Labels("id"), numbered=False)
    assert not np.all(np.asarray(Image.open(io.BytesIO(none.data)).convert("RGB")) == [0xD5, 0x5E, 0x00], axis=-1).any()
    data, meta = chart._repr_mimebundle_()
    assert meta == {"jamsos": {"alt": chart.alt}} and data["text/plain"] == chart.alt


def test_a_region_image_does_not_depend_on_what_was_drawn_before():
    table, labels = _table({"3513": 18.25, "3571": 40.0}), Labels("en")
    first = maps.choropleth_png(table, labels, highlight="3571", numbered=False).data
    maps.choropleth_png(table, labels, highlight="3513", numbered=False)
    again = maps.choropleth_png(table, labels, highlight="3571", numbered=False).data
    charts.forget_kept()
    fresh = maps.choropleth_png(table, labels, highlight="3571", numbered=False).data
    assert first == again == fresh
    assert (
        "Kota Kediri is outlined in orange: 40.00%."
        in maps.choropleth_png(table, labels, highlight="3571", numbered=False).alt
    )


def test_the_status_alt_text_counts_the_statuses():
    statuses = {"3501": "achieved", "3502": "achieved", "3503": "on_track"}
    alt = maps.alt_text(_table(statuses=statuses), Labels("id"), by="status")
    assert (
        alt == "Peta Jawa Timur: status 38 kabupaten/kota terhadap target: 2 tercapai, 1 sesuai jalur, 35 tertinggal."
    )


def test_a_province_without_boundaries_gets_no_map():
    assert not maps.has_map("51")
    shown = maps.choropleth_png(_table(), Labels("id"), province_code="51")
    assert isinstance(shown, maps.NoMap) and shown._repr_mimebundle_() == ({"text/html": ""}, {})
    assert fmt.NA_TEXT  # (the map writes "–" for a region without a figure)
