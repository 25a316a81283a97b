"""Small HTML blocks for report pages: display tables, the illustrative banner, headline
figures, data-quality notes, the "Sumber data" footer and the provenance line.

Every function returns an ``IPython.display.HTML`` object (``.data`` is the markup), so a
notebook cell shows it with ``display(...)`` and nbconvert copies it into the page as is.
**All text that comes from data is escaped**: tables go through
``DataFrame.to_html(escape=True)``, everything else through ``html.escape``; and free text
from data (table cells without a number format, data-quality notes, source titles) passes
the one scrubber, :func:`jamsos_lib.errors.scrub`, so no identifier-like digit run reaches
a notebook output or a page. Numbers are
formatted with :mod:`jamsos_lib.present.fmt` before they reach a table, so a table cell is
always text. CSS classes used here are styled by the ``jamsos`` nbconvert template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from html import escape

import pandas as pd
from IPython.display import HTML

from jamsos_lib import __version__
from jamsos_lib.errors import scrub
from jamsos_lib.compute.targets import basis_label, province_gap_sums, status_label
from jamsos_lib.present import fmt, status
from jamsos_lib.present.labels import Labels
from jamsos_lib.regions import short_name


def _e(value: object) -> str:
    return escape("" if value is None or fmt.is_na(value) else str(value), quote=True)


def _t(value: object) -> str:
    """Free text from data: scrubbed, then escaped."""
    return escape("" if value is None or fmt.is_na(value) else scrub(value), quote=True)


def heading(text: str, level: int = 2, anchor: str | None = None) -> HTML:
    """A section heading (escaped)."""
    level = min(max(int(level), 1), 4)
    ident = f' id="{_e(anchor)}"' if anchor else ""
    return HTML(f"<h{level}{ident}>{_e(text)}</h{level}>")


def section(*parts: HTML) -> HTML:
    """Several blocks shown as ONE output: ``display(section(heading(...), table(...)))``.

    A report section's heading, text and tables then reach the page as one block: the
    kernel sends, and the batch's worker receives, validates and exports, one output
    instead of several (every output is a message of its own). The parts are already
    escaped HTML; nothing is escaped again.
    """
    return HTML(f'<div class="jamsos-out">{OUTPUT_STYLE}{"".join(part.data or "" for part in parts)}</div>')


#: The few rules a section's output needs to read right where the page's stylesheet is
#: absent (JupyterLab, VS Code): cards as separate boxes with label, value and note on
#: their own lines, the banner framed. Scoped to ``.jamsos-out``; the page's stylesheet
#: says the same, so the exported page looks no different.
OUTPUT_STYLE = (
    "<style>"
    ".jamsos-out .jamsos-headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));"
    "gap:.5rem;margin:.6rem 0}"
    ".jamsos-out .card{background:#f0f4f8;border-radius:6px;padding:.5rem .6rem;min-width:0}"
    ".jamsos-out .card-label,.jamsos-out .card-value,.jamsos-out .card-note{display:block}"
    ".jamsos-out .card-value{font-size:1.35rem;font-weight:700;line-height:1.2}"
    ".jamsos-out .card-note{font-size:.8rem;color:#5f6b76}"
    ".jamsos-out .jamsos-banner{background:#fff3cd;border:3px solid #d55e00;border-radius:6px;"
    "padding:.6rem .8rem;margin:.5rem 0 .8rem}"
    ".jamsos-out .jamsos-banner strong{display:block;color:#8a2c00}"
    "</style>"
)


def paragraph(text: str, css_class: str = "note") -> HTML:
    """A paragraph of text (escaped)."""
    return HTML(f'<p class="{_e(css_class)}">{_e(text)}</p>')


def banner(illustrative: bool, labels: Labels) -> HTML:
    """The unmistakable "DATA ILUSTRATIF" banner, or nothing when every figure is published."""
    if not illustrative:
        return HTML("")
    return HTML(
        '<div class="jamsos-banner" role="alert">'
        f"<strong>{_e(labels['banner_title'])}</strong>"
        f"<p>{_e(labels['banner_body'])}</p></div>"
    )


#: a table with more columns than this is shown as stacked rows on a phone (each cell with
#: its header beside it, CSS ``table.stack``), so no column hides behind a sideways scroll
STACK_ABOVE = 4
NUM = ' class="num"'


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    formats: Mapping[str, Callable] | None = None,
    *,
    highlight: Callable[[pd.Series], bool] | None = None,
    numeric: tuple[str, ...] = (),
    hint: str = "",
    stack: bool | None = None,
) -> HTML:
    """A display table: ``columns`` maps source column -> header label (order kept);
    ``formats`` maps a column to a function formatting one value (``fmt.percent`` ...).

    Every cell is text (formatted, or scrubbed free text), escaped, and carries its column's
    header as ``data-label``: on a phone a table of more than :data:`STACK_ABOVE` columns
    becomes one block per row with each value beside its header (no column is hidden);
    wider screens show the usual table in a box that scrolls sideways on its own (never the
    page). Formatted columns (and ``numeric``) are right-aligned. ``highlight`` marks rows
    (for the region the page is about) with a leading "▶". ``hint``: a line under a table
    too wide for a desktop screen saying that it scrolls sideways (not on phones or paper).
    ``stack=False``: a narrow table (few, short columns) kept a table on phones too, in
    smaller type (class ``compact``); ``None``: stacked when wider than :data:`STACK_ABOVE`.
    """
    formats = dict(formats or {})
    cells = {}
    for col in columns:
        f = formats.get(col)
        cells[col] = [fmt.NA_TEXT if fmt.is_na(v) else (f(v) if f else scrub(v)) for v in frame[col]]
    if highlight is not None and columns:
        first = next(iter(columns))
        marks = [bool(highlight(row)) for _, row in frame.iterrows()]
        cells[first] = [("▶ " + v) if m else v for v, m in zip(cells[first], marks)]
    right = set(formats) | set(numeric)
    head = "".join(f"<th>{_e(label)}</th>" for label in columns.values())
    rows = []
    for i in range(len(frame)):
        tds = "".join(
            f'<td{NUM if col in right else ""} data-label="{_e(label)}">{_e(cells[col][i])}</td>'
            for col, label in columns.items()
        )
        rows.append(f"<tr>{tds}</tr>")
    if stack is None:
        stack = len(columns) > STACK_ABOVE
    css = "jamsos-table stack" if stack else ("jamsos-table" if len(columns) <= STACK_ABOVE else "jamsos-table compact")
    hint_html = f'<p class="scroll-hint">{_e(hint)}</p>' if hint else ""
    return HTML(
        f'<div class="table-wrap"><table class="{css}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{hint_html}"
    )


def headline(figures: Mapping[str, object], labels: Labels) -> HTML:
    """Headline cards: ``figures`` maps a key (``coverage_pct``, ``target_pct``, ``gap_pp``,
    ``gap_persons``, ``status_label`` ...) to ``(label, formatted value, note)``.

    Each value carries ``data-figure="<key>"`` so tests can find it.
    """
    cards = []
    for key, (label, value, note) in figures.items():
        note = note.data if isinstance(note, HTML) else _e(note)  # HTML: already escaped markup
        note_html = f'<span class="card-note">{note}</span>' if note else ""
        cards.append(
            f'<div class="card"><span class="card-label">{_e(label)}</span>'
            f'<span class="card-value" data-figure="{_e(key)}">{_e(value)}</span>{note_html}</div>'
        )
    return HTML(f'<div class="jamsos-headline">{"".join(cards)}</div>')


def row_of(table: pd.DataFrame, region_code: str) -> dict:
    """The row of ``region_code`` in a per-region table, as a dict (``KeyError`` if absent)."""
    rows = table[table["region_code"] == region_code]
    if rows.empty:
        raise KeyError(f"region {region_code} is not in the table")
    return rows.iloc[0].to_dict()


def _gap_text(gap_pp, lang: str) -> str:
    """A gap to target (never negative): ``2,3 pp``, without a sign; ``target tercapai`` at 0
    (a region at or above its target never reads "0,0 pp")."""
    if fmt.is_na(gap_pp):
        return fmt.NA_TEXT
    return Labels(lang)["target_reached"] if float(gap_pp) == 0 else f"{fmt.number(gap_pp, lang, 1)} pp"


def region_headline(gap: pd.DataFrame, coverage: pd.DataFrame, region_code: str, labels: Labels) -> HTML:
    """The decision on the first screen: coverage (of which denominator, rank, published or
    estimate), this year's target with its year and source, the gap in points and persons
    ("target tercapai" with the surplus when reached), the cost of closing the gap by the end of
    the target year at the official package and the months it assumes, the status, and the
    pace needed against the pace seen (persons per month); below the cards, one line with
    how the coverage figure is made. ``gap`` is ``compute.targets.gap_table`` (with its
    ``close_cost_rp``), ``coverage`` is ``compute.coverage.coverage_table``."""
    lang = labels.lang
    row = row_of(gap, region_code)
    cov = row_of(coverage, region_code)
    total = int((coverage["level"] == "kabkota").sum()) if "level" in coverage else len(coverage)
    rank = cov.get("rank")
    reached = row.get("status") == "achieved"
    denominator = labels.get(f"denominator_{cov.get('denominator_kind', '')}", "")
    coverage_note = [
        labels["coverage_of"].format(denominator=denominator) if denominator else "",
        "" if fmt.is_na(rank) else labels["rank_text"].format(rank=int(rank), total=total),
        status.label("published" if status.is_published(cov) else "illustrative", labels)
        if not fmt.is_na(cov.get("participants"))
        else "",
    ]
    year = row.get("target_year")
    target_label = labels["target"] if fmt.is_na(year) else labels["target_of_year"].format(year=int(year))
    figures = {
        "coverage_pct": (
            labels["coverage"],
            fmt.percent(row.get("coverage_pct"), lang, 2),
            " · ".join(x for x in coverage_note if x),
        ),
        "target_pct": (target_label, fmt.percent(row.get("target_pct"), lang, 2), _target_note(row, labels, False)),
    }
    if reached:
        figures["gap_pp"] = (
            labels["gap"],
            labels["target_reached"],
            labels["surplus_note"].format(
                pp=f"{fmt.number(row.get('surplus_pp'), lang, 1)} pp",
                persons=fmt.number(row.get("surplus_persons"), lang),
            ),
        )
    else:
        persons = f'<span data-figure="gap_persons">{_e(fmt.number(row.get("gap_persons"), lang))}</span>'
        figures["gap_pp"] = (
            labels["gap"],
            _gap_text(row.get("gap_pp"), lang),
            HTML(_e(labels["gap_persons_note"]).format(persons=persons)),
        )
    figures["close_cost_rp"] = (labels["close_cost"], _cost_text(row, labels), _cost_note(row, labels))
    figures["status_label"] = (
        labels["status"],
        status_label(row["status"], lang),
        "" if reached else f"{labels['projected_reach']}: {_reach_text(row, labels)}",
    )
    if not reached:
        no_month_left = fmt.is_na(row.get("needed_per_month")) and not fmt.is_na(row.get("needed_per_month_12m"))
        figures["needed_per_month"] = (
            labels["pace_needed"],
            # December: no month of the target year left, the pace over a full year (as the cost)
            f"{fmt.number(row['needed_per_month_12m'], lang)} {labels['close_cost_12m_unit']}"
            if no_month_left
            else fmt.number(row.get("needed_per_month"), lang),
            labels["pace_seen"].format(trend=fmt.signed(row.get("trend_per_month"), lang)),
        )
    if not fmt.is_na(row.get("long_term_target_pct")):
        # a long-horizon target (RPJPD 2045) is never this year's: its own card, with its year
        figures["long_term_target_pct"] = (
            labels["long_term_target"],
            fmt.percent(row["long_term_target_pct"], lang, 2),
            f"{row.get('long_term_target_document', '')} · {int(row['long_term_target_year'])}",
        )
    detail = status.coverage_note(cov, labels)
    basis = row.get("target_basis")
    detail_html = "".join(
        f'<p class="note headline-detail" data-note="{key}">{_e(text)}</p>'
        for key, text in (
            (
                "coverage_pct",
                detail and f"{labels['coverage']} {fmt.percent(row.get('coverage_pct'), lang, 2)}: {detail}",
            ),
            (
                "target_pct",
                isinstance(basis, str) and basis and f"{labels['target_basis']}: {basis_label(basis, lang)}",
            ),
        )
        if text
    )
    return HTML(f'<section class="jamsos-decision">{headline(figures, labels).data}{detail_html}</section>')


def _months_span(period: str, months: int, lang: str) -> str:
    """The months after ``period``: ``Jul 2025–Des 2025`` (one month: ``Des 2025``)."""
    first = pd.Period(period, freq="M") + 1
    last = first + (int(months) - 1)
    one, two = fmt.month_short(first, lang), fmt.month_short(last, lang)
    if months == 1:
        return two
    return f"{one.rsplit(' ', 1)[0]}–{two}" if first.year == last.year else f"{one}–{two}"


def _cost_text(row, labels: Labels) -> str:
    """The cost of closing the gap for the months left in the target year; with no month
    left (a December report), the cost of a full year, which the note says."""
    return closing_cost_text(row, labels.lang)


def closing_cost_text(row, lang: str = "id") -> str:
    """``close_cost_rp`` as short Rupiah, or ``close_cost_12m_rp`` with "(12 bulan)" when no month
    of the target year is left; ``–`` when neither is known. One wording for page and index."""
    cost = row.get("close_cost_rp")
    if not fmt.is_na(cost):
        return fmt.rupiah_short(cost, lang)
    cost12 = row.get("close_cost_12m_rp")
    if fmt.is_na(cost12) or fmt.is_na(row.get("months_left")) or int(row.get("months_left")) > 0:
        return fmt.NA_TEXT
    return f"{fmt.rupiah_short(cost12, lang)} {Labels(lang)['close_cost_12m_unit']}"


def _cost_note(row, labels: Labels) -> str:
    """How many months and at which rate the cost of closing the gap assumes."""
    lang = labels.lang
    if row.get("status") == "achieved":
        return labels["close_cost_zero"]
    left, rate = row.get("months_left"), row.get("official_monthly_rp")
    if fmt.is_na(rate) or fmt.is_na(row.get("gap_persons")):
        return ""
    if fmt.is_na(left) or int(left) <= 0:
        return labels["close_cost_12m"].format(year=int(row["target_year"]), rate=fmt.rupiah(rate, lang))
    return labels["close_cost_note"].format(
        months=int(left), span=_months_span(row["period"], int(left), lang), rate=fmt.rupiah(rate, lang)
    )


def province_cost_section(gap: pd.DataFrame, labels: Labels, province: str | None = None) -> HTML:
    """The province page's cost section: the gaps of the kab/kota below target added up,
    beside the province's net gap, each with its cost and one sentence saying what it is
    (``compute.targets.province_gap_sums``)."""
    lang = labels.lang
    sums = province_gap_sums(gap, province).iloc[0]

    def cost(which: str) -> str:  # in December, a full year's cost labelled as such (as the headline)
        return closing_cost_text(
            {
                "close_cost_rp": sums[f"{which}_cost_rp"],
                "months_left": sums["months_left"],
                "close_cost_12m_rp": sums[f"{which}_cost_12m_rp"],
            },
            lang,
        )

    cards = {
        "kabkota_cost_rp": (
            labels["province_cost_sum"].format(n=int(sums["regions_behind"])),
            cost("kabkota"),
            f"{fmt.persons(sums['kabkota_gap_persons'], lang)}. {labels['province_cost_sum_text']}",
        ),
        "province_cost_rp": (
            labels["province_cost_net"],
            cost("province"),
            f"{fmt.persons(sums['province_gap_persons'], lang)}. {labels['province_cost_net_text']}",
        ),
    }
    basis = ""
    if (
        not fmt.is_na(sums["months_left"])
        and int(sums["months_left"]) > 0
        and not fmt.is_na(sums["official_monthly_rp"])
    ):
        period = str(gap["period"].iloc[0])
        basis = paragraph(
            labels["province_cost_basis"].format(
                months=int(sums["months_left"]),
                span=_months_span(period, int(sums["months_left"]), lang),
                rate=fmt.rupiah(sums["official_monthly_rp"], lang),
            )
        ).data
    return HTML(
        f'<section class="jamsos-costs">{heading(labels["province_cost_title"]).data}'
        f"{headline(cards, labels).data}{basis}</section>"
    )


def _target_note(row, labels: Labels, with_basis: bool = True) -> str:
    """``Pemprov Jatim · 2025 · basis`` under a target; why it is not compared when it is not."""
    parts = [str(x) for x in (row.get("target_document"), row.get("target_year")) if not fmt.is_na(x) and str(x)]
    basis = row.get("target_basis")
    if with_basis and isinstance(basis, str) and basis:
        parts.append(f"{labels['target_basis']}: {basis_label(basis, labels.lang)}")
    if row.get("status") == "not_comparable":
        parts.append(labels["not_comparable"])
    return " · ".join(parts)


def _reach_text(row, labels: Labels) -> str:
    """The month the target is reached within its year, else only the year, else "not reached"."""
    if row.get("status") == "achieved":
        return labels["target_reached"]
    reach, year = row.get("projected_reach_period"), row.get("projected_reach_year")
    if not fmt.is_na(reach) and reach:
        return fmt.month_name(reach, labels.lang)
    if not fmt.is_na(year):
        return labels["reach_year"].format(year=int(year))
    return labels["not_reached"]


def gap_summary(gap: pd.DataFrame, region_code: str, labels: Labels, months: int = 12) -> HTML:
    """The gap section's text: needed vs trend per month, projected month, and the method."""
    lang = labels.lang
    row = row_of(gap, region_code)
    per = labels["per_month_persons"]
    items = [
        (labels["gap_persons"], fmt.number(row.get("gap_persons"), lang)),
        (labels["needed_per_month"], f"{fmt.number(row.get('needed_per_month'), lang)} {per}"),
        (labels["trend_per_month"], f"{fmt.signed(row.get('trend_per_month'), lang)} {per}"),
        (labels["projected_year_end"], fmt.percent(row.get("projected_year_end_pct"), lang)),
        (labels["projected_reach"], _reach_text(row, labels)),
    ]
    lis = "".join(f"<li>{_e(k)}: <strong>{_e(v)}</strong></li>" for k, v in items)
    method = labels["projection_method"].format(months=months)
    return HTML(f'<ul class="jamsos-gap">{lis}</ul>{_target_chain(row, labels)}<p class="note">{_e(method)}</p>')


def _target_chain(row, labels: Labels) -> str:
    """This year's region → province → national targets, each with document and basis, and
    the long-horizon target apart (HTML list)."""
    lang = labels.lang
    year = row.get("target_year")
    levels = []
    if row.get("target_level") == "region":
        levels.append((row.get("target_pct"), row.get("target_document"), row.get("target_basis")))
    levels += [
        (row.get("province_target_pct"), row.get("province_target_document"), row.get("province_target_basis")),
        (row.get("national_target_pct"), row.get("national_target_document"), row.get("national_target_basis")),
    ]
    lis = [
        f"<li>{_e(fmt.percent(pct, lang, 2))} · {_e(doc)}"
        + (f" · {_e(str(int(year)))}" if not fmt.is_na(year) else "")
        + (f" · {_e(labels['target_basis'])}: {_e(basis_label(basis, lang))}" if basis else "")
        + "</li>"
        for pct, doc, basis in levels
        if not fmt.is_na(pct)
    ]
    out = f'<p>{_e(labels["target_chain"])}</p><ul class="jamsos-chain">{"".join(lis)}</ul>' if lis else ""
    if row.get("status") == "not_comparable":
        out += f'<p class="note">{_e(labels["not_comparable"])}: {_e(row.get("comparison_note", ""))}</p>'
    if not fmt.is_na(row.get("long_term_target_pct")):
        out += (
            f'<p class="note">{_e(labels["long_term_target"])}: '
            f"{_e(fmt.percent(row['long_term_target_pct'], lang, 2))} · {_e(row.get('long_term_target_document', ''))}"
            f" · {int(row['long_term_target_year'])}</p>"
        )
    return out


def province_table(coverage: pd.DataFrame, gap: pd.DataFrame, labels: Labels, highlight: str | None = None) -> HTML:
    """The full table of every kab/kota (and the province row), in two parts so a phone need
    not scroll through 39 stacked blocks: the decision (coverage, target, gap, status; short
    names, ranked) as a compact table that fits a 390 px screen and one A4 sheet, then the
    secondary columns (participants, denominator, changes, data status) in a ``<details>``
    block, closed on screen and not printed."""
    lang = labels.lang
    keep = [c for c in ("region_code", "target_pct", "gap_pp", "status") if c in gap]
    merged = (
        coverage.assign(data_label=[status.label(s, labels) for s in coverage["status"]])
        .drop(columns=["status"], errors="ignore")
        .merge(gap[keep], on="region_code", how="left")
    )
    merged["status_label"] = [fmt.NA_TEXT if fmt.is_na(s) else status_label(s, lang) for s in merged["status"]]
    merged = merged.assign(_order=merged["rank"].astype("Float64").fillna(999)).sort_values(["_order", "region_code"])
    merged["name"] = [
        (f"{int(r)}. " if not fmt.is_na(r) else "") + short_name(n)
        for r, n in zip(merged["rank"], merged["region_name"])
    ]
    decision = {
        "name": labels["region_short"],
        "coverage_pct": labels["coverage"],
        "target_pct": labels["target"],
        "gap_pp": labels["gap_pp"],
        "status_label": labels["status"],
    }
    secondary = {
        "name": labels["region"],
        "participants": labels["participants"],
        "denominator": labels["denominator"].capitalize(),
        "change_mom_pp": labels["mom"],
        "change_denominator_pp": status.label("change_denominator", labels),
        "change_yoy_pp": labels["yoy"],
        "data_label": status.label("data", labels),
    }
    formats = {
        "coverage_pct": lambda v: fmt.percent(v, lang),
        "participants": lambda v: fmt.number(v, lang),
        "denominator": lambda v: fmt.number(v, lang),
        "change_mom_pp": lambda v: fmt.pp(v, lang, 2),
        "change_denominator_pp": lambda v: fmt.pp(v, lang, 2),
        "change_yoy_pp": lambda v: fmt.pp(v, lang),
        "target_pct": lambda v: fmt.percent(v, lang),
        "gap_pp": lambda v: _gap_text(v, lang),
    }
    mark = (lambda r: r["region_code"] == highlight) if highlight else None
    shown = table(merged, {k: v for k, v in decision.items() if k in merged}, formats, highlight=mark, stack=False)
    rest = table(merged, {k: v for k, v in secondary.items() if k in merged}, formats, highlight=mark)
    return HTML(shown.data + more(labels["table_more"], rest.data))


def more(summary: str, body: str, *, level: int | None = None) -> str:
    """A ``<details>`` block for what a reader opens on request (closed on screen, not
    printed: the print stylesheet drops it). ``level``: the summary is a heading."""
    head = f"<h{level}>{_e(summary)}</h{level}>" if level else _e(summary)
    return f'<details class="jamsos-more"><summary>{head}</summary>{body}</details>'


def movers(coverage: pd.DataFrame, labels: Labels, n: int = 5) -> HTML:
    """Biggest movers among the kab/kota: the ``n`` largest rises and falls month-on-month
    and year-on-year (``change_mom_pp`` / ``change_yoy_pp`` of ``coverage_table``), under
    their own heading in a :func:`more` block; no decision column (coverage, target, status:
    the full table above has them), so nothing a reader decides on is behind a closed block."""
    lang = labels.lang
    kab = coverage[coverage["level"] == "kabkota"] if "level" in coverage else coverage
    blocks = []
    for col, title in (("change_mom_pp", labels["mom"]), ("change_yoy_pp", labels["yoy"])):
        valid = kab.dropna(subset=[col])
        if valid.empty:
            blocks.append(f"<div><h3>{_e(title)}</h3>{paragraph(fmt.NA_TEXT).data}</div>")
            continue
        up = valid.nlargest(n, col)
        down = valid.nsmallest(n, col)
        both = pd.concat([up, down]).drop_duplicates("region_code")
        blocks.append(
            f"<div><h3>{_e(title)}</h3>"
            + table(both, {"region_name": labels["region"], col: title}, {col: lambda v: fmt.pp(v, lang, 2)}).data
            + "</div>"
        )
    return HTML(more(labels["movers_title"], f'<div class="jamsos-movers">{"".join(blocks)}</div>', level=2))


def quality_notes(notes: pd.DataFrame, labels: Labels) -> HTML:
    """The data-quality section's body (``compute.quality.region_quality`` table)."""
    if notes.empty:
        return paragraph(labels["quality_none"])
    items = []
    for r in notes.itertuples(index=False):
        sev = labels["error"] if r.severity == "error" else labels["warning"]
        # the month only: a data file's name is for analysts (jamsos validate), not for a page
        when = f' <span class="muted">({_e(fmt.month_name(r.period, labels.lang))})</span>' if r.period else ""
        items.append(f'<li class="q-{_e(r.severity)}"><strong>{_e(sev)}</strong> {_t(r.message)}{when}</li>')
    return HTML(f'<ul class="jamsos-quality">{"".join(items)}</ul>')


def _when_text(value: str, lang: str) -> str:
    """``2024-11-13`` -> ``13 November 2024``, ``2024-11`` -> ``November 2024``, ``2024`` as is."""
    value = str(value or "")
    if len(value) >= 10:
        return f"{int(value[8:10])} {fmt.month_name(value[:7], lang)}"
    return fmt.month_name(value, lang) if len(value) == 7 else value


def _span_text(first: str, last: str, lang: str) -> str:
    one, two = (fmt.month_short(v, lang) if len(str(v)) == 7 else str(v) for v in (first, last))
    return one if one == two else f"{one}–{two}"


def _places(regions, labels: Labels) -> str:
    names = [r for r in regions if r]
    return ", ".join(names) if len(names) <= 3 else labels["n_regions_short"].format(n=len(names))


def sources_footer(cited: pd.DataFrame, labels: Labels) -> HTML:
    """ "Sumber data": one line per source the page's figures cite
    (``compute.sources.cited_sources``), publisher and date first (published, else when it was
    accessed), then what the page takes from it and its address; official addresses (BPS,
    BPJS Ketenagakerjaan, JDIH/peraturan) first, news after. jamsos's own estimates follow
    apart, as "Estimasi jamsos: <method>", never as a publisher. Addresses are text, never
    links or loads."""
    lang = labels.lang
    lines, estimates = [], []
    for r in cited.itertuples(index=False):
        places = _places(r.regions, labels)
        if r.estimate:
            ((_kind, first, last),) = r.what
            where = ", ".join(x for x in (places, _span_text(first, last, lang) if first else "") if x)
            text = labels.get(f"estimate_{r.estimate}", r.estimate)
            estimates.append(
                f'<li class="src-estimate"><strong>{_e(labels["estimate_by_jamsos"])}:</strong> '
                f"{_e(text)}{'; ' + _e(where) if where else ''}</li>"
            )
            continue
        when = _when_text(r.date, lang)
        if when and r.date_kind == "accessed":
            when = labels["accessed"].format(date=when)
        head = " · ".join(_t(x) for x in (r.publisher, when) if x)
        kinds = ", ".join(
            labels.get(f"cited_{kind}", kind) + (f" {_span_text(first, last, lang)}" if first else "")
            for kind, first, last in r.what
        )
        what = f"{_t(r.title)} ({_e(kinds)})" if r.title else _e(kinds)
        text = f"<strong>{head}</strong> — {what}{': ' + _e(places) if places else ''}"
        if r.url:
            text += f'; <span class="url">{_t(r.url)}</span>'
        lines.append(f'<li class="src-{"official" if r.official else "other"}">{text}</li>')
    return HTML(
        f'<section class="jamsos-sources"><h2>{_e(labels["sources_heading"])}</h2>'
        f"<ul>{''.join(lines + estimates)}</ul></section>"
    )


def provenance(manifest: Mapping, period: str, labels: Labels, generated_at: dt.datetime | None = None) -> HTML:
    """The page's last line, short: when it was made (WIB), the jamsos version and the
    revision it was made from, and when the data were processed. (The period is in the
    title.)"""
    parts = [f"{labels['generated']} {fmt.generated_time(generated_at, labels.lang)}", f"jamsos {__version__}"]
    commit = manifest.get("git_commit") or manifest.get("commit") or ""
    if commit:
        parts[-1] += f" ({labels['revision']} {str(commit)[:12]})"
    built = str(manifest.get("created") or manifest.get("created_at") or manifest.get("time") or "")
    if built:
        parts.append(f"{labels['data_built']} {built[:10]}")
    return HTML(f'<footer class="jamsos-provenance">{_e(labels["provenance"])}: {_e(" · ".join(parts))}</footer>')


def title_block(title: str, subtitle: str, period: str | None = None) -> HTML:
    """Page title and subtitle; ``period`` (``YYYY-MM``) is recorded for the page footer."""
    attr = f' data-period="{_e(period)}"' if period else ""
    attr += f' data-title="{_e(title)} · {_e(subtitle)}"'
    return HTML(
        f'<header class="jamsos-title"{attr}><h1>{_e(title)}</h1><p class="subtitle">{_e(subtitle)}</p></header>'
    )


def report_title(ctx, kind: str = "region_report_title") -> HTML:
    """Title block of a report for a :class:`~jamsos_lib.reports.params.ReportContext`."""
    labels = ctx.labels
    name = ctx.region.name if ctx.region.is_province else ctx.region.official_name
    denominator = labels.get(f"denominator_{ctx.denominator}", ctx.denominator)
    subtitle = f"{name} · {fmt.month_name(ctx.period, labels.lang)} · {labels['denominator']}: {denominator}"
    return title_block(labels[kind], subtitle, ctx.period)


def scenario_table(scenarios: pd.DataFrame, labels: Labels) -> HTML:
    """Bantuan iuran scenarios (``subsidy.SCENARIO_SCHEMA``): persons paid for, new
    participants among them, months, rate, cost, budget left and coverage after; below it
    the rate used (official package, the region's programme rate or the user's) with the
    official package beside it, and the cost formula."""
    lang = labels.lang
    if scenarios.empty:
        return paragraph(labels["no_scenarios"])
    shown = scenarios.assign(scenario_label=[labels.get(f"scenario_{s}", s) for s in scenarios["scenario"]])
    columns = {
        "scenario_label": labels["scenario"],
        "cost_rp": labels["cost"],
        "coverage_after_pct": labels["coverage_after"],
        "persons": labels["persons"],
        "new_persons": labels["new_persons"],
        "months": labels["months"],
        "monthly_rp": labels["rate_short"],
        "unspent_rp": labels["unspent"],
    }
    if shown["unspent_rp"].isna().all():
        columns.pop("unspent_rp")
    if (shown["new_persons"] == shown["persons"]).all():
        columns.pop("new_persons")
    formats = {
        "persons": lambda v: fmt.number(v, lang),
        "new_persons": lambda v: fmt.number(v, lang),
        "months": lambda v: fmt.number(v, lang),
        "monthly_rp": lambda v: fmt.rupiah(v, lang),
        "cost_rp": lambda v: fmt.rupiah_short(v, lang),
        "unspent_rp": lambda v: fmt.rupiah_short(v, lang),
        "coverage_after_pct": lambda v: fmt.percent(v, lang),
    }
    used = []
    for r in scenarios.itertuples(index=False):
        # in the page's language, from the figures (the scenario's rate_label is Indonesian)
        text = (
            f"{labels.get('rate_kind_' + r.rate_kind, r.rate_kind)}: {fmt.rupiah(r.monthly_rp, lang)} "
            f"{labels['per_person_per_month']}"
        )
        if r.legal_basis and r.rate_kind != "programme":
            text += f" ({fmt.legal_bases(r.legal_basis, lang)})"
        if r.rate_kind != "official" and not fmt.is_na(r.official_monthly_rp):
            text += f"; {labels['official_package'].lower()} {fmt.rupiah(r.official_monthly_rp, lang)}"
        used.append(text)
    notes = [f"{labels['rate_used']}: {'; '.join(dict.fromkeys(used))}.", labels["scenario_note"]]
    if (scenarios["already_counted"] > 0).any():
        notes.append(labels["already_counted_note"])
    return HTML(table(shown, columns, formats).data + "".join(f'<p class="note">{_e(n)}</p>' for n in notes))


def _calibration_note(note: object, labels: Labels) -> str:
    """A calibration row's note in the page's language: "tidak diterbitkan: orang" for the
    code ``not published: persons`` (``compute.scenarios.NOT_PUBLISHED``); other text as is."""
    from jamsos_lib.compute.scenarios import NOT_PUBLISHED

    text = "" if fmt.is_na(note) else str(note)
    if not text.startswith(NOT_PUBLISHED):
        return text
    fields = [labels.get(f, f).lower() for f in text[len(NOT_PUBLISHED) :].split(", ")]
    return labels["not_published"].format(fields=", ".join(fields))


def calibration_table(calibrations: pd.DataFrame, labels: Labels) -> HTML:
    """Every programme of the region (``pages.region_calibrations``): the per-person-month
    cost it implies against the official package where budget, persons and months are
    published; what is not published otherwise. "No programme" only when there is none."""
    lang = labels.lang
    if calibrations.empty:
        return paragraph(labels["no_programmes"])
    shown = calibrations.copy()
    if "persons_listed" in shown:
        shown["persons"] = shown["persons"].where(shown["persons"].notna(), shown["persons_listed"])
    columns = {
        "year": labels["year"],
        "funding_source": labels["funding_source"],
        "budget_rp": labels["budget"],
        "persons": labels["persons"],
        "months": labels["months"],
        "per_person_month_rounded_rp": labels["per_person_month"],
        "official_monthly_rp": labels["official_package"],
        "difference_pct": labels["difference"],
        "status": labels["source_status"],
    }
    formats = {
        "year": lambda v: str(int(v)),
        "budget_rp": lambda v: fmt.rupiah_short(v, lang),
        "persons": lambda v: fmt.number(v, lang),
        "months": lambda v: fmt.number(v, lang),
        "per_person_month_rounded_rp": lambda v: fmt.rupiah(v, lang),
        "official_monthly_rp": lambda v: fmt.rupiah(v, lang),
        "difference_pct": lambda v: fmt.signed(v, lang, 1) + "%",
        "status": labels.source_status,
    }
    if "note" in shown and (shown["note"].fillna("") != "").any():
        columns["note"] = labels["message"]
        formats["note"] = lambda v: _calibration_note(v, labels)
    return table(shown, columns, formats)
