"""The month's ``index.html``: every region's coverage, target and status with a link to its
page, and a link to the province overview, under the same offline rules as the pages
(strict Content-Security-Policy, no scripts, nothing fetched, inlined stylesheet).

Rendered with Jinja2 **autoescaping on**, so every text from data (names, statuses) is
escaped. Links are relative file names (``3513-kabupaten-probolinggo.html``), so the
folder works when copied to a phone or a USB stick.

``rows`` is one mapping per region with ``region_code`` and optionally ``coverage_pct``,
``target_pct``, ``gap_pp``, ``gap_persons``, ``close_cost_rp``, ``surplus_pp``, ``status`` (a
``targets.gap_table`` status key), ``ok`` (False: its page
failed and is not linked) — for example ``gap_table(...).to_dict("records")`` plus the
runner's result. Names and file names come from the region registry.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import jinja2

from jamsos_lib import __version__, paths
from jamsos_lib.compute.targets import STATUS_LABELS, status_label
from jamsos_lib.present import fmt
from jamsos_lib.present.tables import closing_cost_text
from jamsos_lib.present.labels import Labels
from jamsos_lib.regions import load_registry

PROVINCE_PAGE = "provinsi-{code}.html"
CSS_PATH = paths.TEMPLATES / "jamsos" / "static" / "jamsos.css"


def page_name(region_code: str, registry=None) -> str:
    """File name of a region's page: ``3513-kabupaten-probolinggo.html``."""
    registry = registry or load_registry()
    region = registry.region(region_code)
    if region.is_province:
        return PROVINCE_PAGE.format(code=region.code)
    return f"{region.code}-{region.slug}.html"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.TEMPLATES / "site")), autoescape=True, undefined=jinja2.StrictUndefined
    )


def build_index(
    period: str,
    rows: Iterable[Mapping],
    lang: str = "id",
    generated_at: dt.datetime | None = None,
    illustrative: bool = True,
    province_code: str = "35",
    registry=None,
    province_pages: Iterable[str] | None = None,
) -> str:
    """The ``index.html`` page for ``period`` (see the module docstring).

    ``ok`` per row: True (page written, linked), False (page failed this run), None (no
    page: not part of this run and none from an earlier one). With kab/kota of several
    provinces (a national run) the table gets a heading row per province linking its
    overview; with one province a single link to its overview sits above the table.
    ``province_pages`` (codes) limits those links to the overviews that exist; None: all."""
    registry = registry or load_registry()
    generated_at = generated_at or dt.datetime.now().astimezone()
    base = Labels(lang)
    shown = []
    for row in rows:
        code = str(row["region_code"])
        region = registry.region(code)
        if region.is_province:
            continue
        status = row.get("status")
        ok = row.get("ok", True)
        shown.append(
            {
                "code": code,
                "name": region.short_name,
                "href": page_name(code, registry) if ok else None,
                "missing": base["page_failed"] if ok is False else base["page_not_run"],
                "coverage": fmt.percent(row.get("coverage_pct"), lang),
                "target": fmt.percent(row.get("target_pct"), lang),
                "gap": _gap_cell(row, base),
                "persons": fmt.number(row.get("gap_persons"), lang),
                "cost": closing_cost_text(row, lang),
                "status": status_label(status, lang) if status in STATUS_LABELS else (status or fmt.NA_TEXT),
                "behind": _behind(row),
            }
        )
    # furthest behind first (largest gap in points), then those reached, then those not compared
    shown.sort(key=lambda r: (r["code"][:2], *r["behind"], r["code"]))
    provinces = sorted({r["code"][:2] for r in shown}) or [province_code]
    names = {p: registry.region(p).name if p in registry else p for p in provinces}
    linked = set(provinces if province_pages is None else province_pages)
    if len(provinces) == 1:
        labels = Labels(lang, province=names[provinces[0]], n_regions=len(shown))
    else:
        labels = Labels(lang, province=f"{len(provinces)} {base['provinces_count']}", n_regions=len(shown))
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            labels=labels,
            title=labels["index_title"],
            period=period,
            period_text=fmt.month_name(period, lang),
            rows=shown,
            illustrative=illustrative,
            many_provinces=len(provinces) > 1,
            province_names=names,
            province_linked=linked,
            province_href=PROVINCE_PAGE.format(code=provinces[0]),
            css=CSS_PATH.read_text(encoding="utf-8"),
            version=__version__,
            generated=fmt.generated_time(generated_at, lang),
        )
    )


def _behind(row: Mapping) -> tuple:
    """Sort key: regions with a gap by the gap (largest first), then regions that reached
    their target (smallest surplus first), then regions without a comparable figure."""
    gap = row.get("gap_pp")
    if fmt.is_na(gap):
        return (2, 0.0)
    if float(gap) > 0:
        return (0, -float(gap))
    surplus = row.get("surplus_pp")
    return (1, 0.0 if fmt.is_na(surplus) else float(surplus))


def _gap_cell(row: Mapping, labels: Labels) -> str:
    """``6,9 pp``; ``target tercapai (+2,1 pp)`` when reached; ``–`` when not compared."""
    gap, lang = row.get("gap_pp"), labels.lang
    if fmt.is_na(gap):
        return fmt.NA_TEXT
    if float(gap) == 0 and row.get("status") == "achieved":
        surplus = row.get("surplus_pp")
        return labels["target_reached"] + ("" if fmt.is_na(surplus) else f" (+{fmt.number(surplus, lang, 1)} pp)")
    return f"{fmt.number(gap, lang, 1)} pp"


#: the folder ``jamsos scenario`` writes to, below the reports folder, and its index
SCENARIO_INDEX = "index.html"
_SCENARIO_PAGE = re.compile(r"^(\d{4})-[a-z0-9-]+\.html$")


def scenario_pages(folder: str | os.PathLike, registry=None) -> list[tuple[str, str]]:
    """``(region_code, file name)`` of every scenario page in ``folder``, by code (files
    whose names are not ``<code>-<slug>.html`` of a registry region are not pages of ours)."""
    registry = registry or load_registry()
    found = []
    for path in sorted(Path(folder).glob("*.html")):
        m = _SCENARIO_PAGE.match(path.name)
        if m and m.group(1) in registry and path.name == page_name(m.group(1), registry):
            found.append((m.group(1), path.name))
    return found


def build_scenario_index(
    pages: Iterable[tuple[str, str]], lang: str = "id", generated_at: dt.datetime | None = None, registry=None
) -> str:
    """The ``scenarios/index.html`` page: a link to each scenario page (``(code, file)``
    pairs, :func:`scenario_pages`), so the scenario pages' link back leads somewhere."""
    registry = registry or load_registry()
    generated_at = generated_at or dt.datetime.now().astimezone()
    labels = Labels(lang)
    rows = [{"code": code, "name": registry.region(code).short_name, "href": href} for code, href in pages]
    return (
        _environment()
        .get_template("scenarios.html.j2")
        .render(
            lang=lang,
            labels=labels,
            title=labels["scenario_index_title"],
            rows=rows,
            css=CSS_PATH.read_text(encoding="utf-8"),
            version=__version__,
            generated=fmt.generated_time(generated_at, lang),
        )
    )


def write_scenario_index(folder: str | os.PathLike, lang: str = "id", registry=None) -> Path:
    """(Re)write ``folder/index.html`` listing the scenario pages now in ``folder`` (atomically)."""
    from jamsos_lib import atomic

    html = build_scenario_index(scenario_pages(folder, registry), lang, registry=registry)
    return atomic.write_text(Path(folder) / SCENARIO_INDEX, html)
