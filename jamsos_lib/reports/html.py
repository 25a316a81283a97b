"""Executed notebook -> one self-contained HTML page an official can open offline on a phone.

:func:`export_html` runs nbconvert's ``HTMLExporter`` in-process with the ``jamsos``
template (``jamsos_lib/templates/jamsos``, built on the lean ``basic`` template): no code
cells, no prompts, no ``injected-parameters`` cell, no cell tagged ``hide`` (analysts'
notes in the notebook) or ``parameters``, no stderr; charts are the PNGs already embedded
in the outputs; the page carries a strict Content-Security-Policy, a viewport meta tag
and a small inlined stylesheet. Nothing is loaded from outside.

:func:`offline_problems` parses the page and lists what in its elements and attributes would
make it fetch something (a ``<script>``, a ``src`` that is not ``data:``, a link to another
host, a CSS ``url()``, ...; text is not looked at); :func:`export_html` refuses to return a
page that has any.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets.config import Config

from jamsos_lib import __version__, paths
from jamsos_lib.errors import JamsosError
from jamsos_lib.present.labels import Labels

TEMPLATE = "jamsos"
REMOVED_TAGS = frozenset({"injected-parameters", "parameters", "hide", "papermill-error-cell-tag"})
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TITLE = re.compile(r'data-title="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
#: elements that load or run something whatever their attributes
_LOADING_ELEMENTS = {
    "script": "a <script> element",
    "iframe": "an <iframe> element",
    "frame": "a <frame> element",
    "object": "an <object> element",
    "embed": "an <embed> element",
    "applet": "an <applet> element",
    "link": "a <link> element",
    "base": "a <base> element",
    "portal": "a <portal> element",
}
#: attributes whose address the browser fetches when the page is shown: only ``data:`` is offline
_FETCHED = frozenset(
    {"src", "poster", "data", "background", "lowsrc", "dynsrc", "manifest", "codebase", "archive", "longdesc", "icon"}
)
#: attributes that link or submit to an address (followed only on a click): no other host
_LINKED = frozenset({"href", "xlink:href", "action", "formaction", "ping", "cite"})
#: elements whose ``href`` is fetched (SVG)
_SVG_FETCHING = frozenset({"image", "use", "feimage"})
_CSS_URL = re.compile(r"""(?:url|image-set|image)\(\s*(["']?)\s*([^"')\s]*)""", re.I)
_CSS_IMPORT = re.compile(r"@import", re.I)
_REFRESH_URL = re.compile(r"url\s*=", re.I)
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_DATA_URI = re.compile(r"data:[^\s,]*,[^\s,]*")
_SRCSET_REST = re.compile(r"^[\s,0-9.wx]*$")


def _remote_link(value: str) -> bool:
    """A link to another host, or a ``javascript:``/other-scheme address (a relative
    address, a ``#fragment``, ``mailto:``/``tel:``/``data:`` are fine)."""
    value = value.strip()
    if value.startswith("//") or value.startswith("\\\\"):
        return True
    m = _SCHEME.match(value)
    return bool(m) and m.group(1).lower() not in ("mailto", "tel", "data")


def _fetched_offline(value: str) -> bool:
    value = value.strip()
    return value == "" or value.startswith("#") or value.lower().startswith("data:")


def _css_problems(css: str) -> list[str]:
    found = []
    if _CSS_IMPORT.search(css):
        found.append("a CSS @import")
    for m in _CSS_URL.finditer(css):
        target = m.group(2)
        if target and not _fetched_offline(target):
            found.append(f"a CSS url() to {target[:80]!r}")
    return found


class _OfflineScan(HTMLParser):
    """Collects what in a document's elements and attributes would load something (text and
    comments are never looked at: an escaped ``&lt;img src=...&gt;`` or ``href=https://`` in a
    note is text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = 0

    def _add(self, what: str, tag: str, attrs) -> None:
        shown = " ".join(f"{k}={(v or '')[:80]!r}" for k, v in attrs)
        self.found.append(f"{what}: <{tag}{' ' + shown if shown else ''}>")

    def handle_starttag(self, tag, attrs):
        if tag in _LOADING_ELEMENTS:
            self._add(_LOADING_ELEMENTS[tag], tag, attrs)
        if tag == "style":
            self._in_style += 1
        values = dict(attrs)
        if (
            tag == "meta"
            and (values.get("http-equiv") or "").strip().lower() == "refresh"
            and _REFRESH_URL.search(values.get("content") or "")
        ):
            self._add("a meta refresh to another address", tag, attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._add(f"an inline script ({name})", tag, [(name, value)])
            elif name in _FETCHED or (name in ("href", "xlink:href") and tag in _SVG_FETCHING):
                if not _fetched_offline(value):
                    self._add(f"an attribute that loads an address ({name})", tag, [(name, value)])
            elif name in ("srcset", "imagesrcset"):
                if not _SRCSET_REST.match(_DATA_URI.sub("", value)):
                    self._add(f"an attribute that loads an address ({name})", tag, [(name, value)])
            elif name in _LINKED:
                if _remote_link(value):
                    self._add(f"a link to another host or scheme ({name})", tag, [(name, value)])
            elif name == "style":
                self.found.extend(f"{what} in a style attribute of <{tag}>" for what in _css_problems(value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style -= 1

    def handle_endtag(self, tag):
        if tag == "style" and self._in_style:
            self._in_style -= 1

    def handle_data(self, data):
        if self._in_style:
            self.found.extend(f"{what} in a <style> element" for what in _css_problems(data))


#: the payload of a ``data:`` URI (an embedded chart): base64 has no ``<``, quote, space or ``(``,
#: so it cannot end an attribute or hold an address; dropped before parsing (a smaller document)
_BASE64_PAYLOAD = re.compile(r"(?<=;base64,)[A-Za-z0-9+/=]+")


def offline_problems(page: str) -> list[str]:
    """What in ``page`` would load or link something outside the file (empty list: none).

    The page is parsed (``html.parser``) and only its elements and attributes are checked:
    loading elements (``script``, ``iframe``, ``object``, ``embed``, ``link``, ``base``, ...),
    inline event handlers, addresses that are fetched (``src``, ``srcset``, ``poster``,
    ``data``, SVG ``href``, ...: only ``data:`` is allowed), links to another host or scheme
    (``href``, ``action``, ...: relative, ``#``, ``mailto:`` are allowed), a meta refresh,
    and CSS ``url()``/``@import`` in ``<style>`` elements and ``style`` attributes. Text is
    never looked at: a note that shows ``href=https://...`` is text.
    """
    scan = _OfflineScan()
    scan.feed(_BASE64_PAYLOAD.sub("", page))
    scan.close()
    return scan.found


def _outputs_html(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                value = data["text/html"]
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def _config() -> Config:
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVED_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    # validate the notebook once, after all preprocessors, not after each of them (13 times)
    c.HTMLExporter.optimistic_validation = True
    c.HTMLExporter.embed_images = False  # CVE-2026-39378; charts are already embedded outputs
    c.HTMLExporter.require_js_url = ""
    c.HTMLExporter.mathjax_url = ""  # (mermaid: the basic-based template has no mermaid block)
    c.HTMLExporter.jquery_url = ""
    c.HTMLExporter.jupyter_widgets_base_url = ""
    c.HTMLExporter.widget_renderer_url = ""
    c.HTMLExporter.html_manager_semver_range = ""
    return c


class PageExporter(HTMLExporter):
    """nbconvert's ``HTMLExporter`` without its last step, a BeautifulSoup parse and re-write
    of the whole page (~40 % of an export's time on a page with three charts), which only adds
    a placeholder ``alt`` to images that lack one (the ``jamsos`` template writes a real
    one on every chart) and ``tabindex`` to input and output areas (an interactive
    notebook's keyboard navigation; a report page has no inputs and nothing to operate).
    The steps before it are ``HTMLExporter.from_notebook_node``'s own."""

    def from_notebook_node(self, nb, resources=None, **kw):
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter(
            "highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        )
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


_EXPORTER: HTMLExporter | None = None


def _exporter() -> HTMLExporter:
    global _EXPORTER
    if _EXPORTER is None:
        exporter = PageExporter(
            config=_config(), template_name=TEMPLATE, extra_template_basedirs=[str(paths.TEMPLATES)]
        )
        exporter.register_preprocessor(TagRemovePreprocessor(config=_config()), enabled=True)
        _EXPORTER = exporter
    return _EXPORTER


def export_html(
    nb,
    lang: str = "id",
    *,
    title: str | None = None,
    index_href: str | None = None,
) -> str:
    """The HTML page for executed notebook ``nb`` (a ``NotebookNode`` or a path).

    ``title`` defaults to the page's first ``<h1>`` (the page's own last output says when it was
    made and from which period). ``index_href`` adds a link back
    to the index page. Raises :class:`JamsosError` if the notebook failed (papermill
    marked an exception) or the page would load anything from outside.
    """
    labels = Labels(lang)
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(str(nb), as_version=4)
    # (no copy here: nbconvert works on its own deep copy and leaves ``nb`` as it was)
    if nb.metadata.get("papermill", {}).get("exception"):
        raise JamsosError("the notebook failed while running; a failed report is never exported")
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise JamsosError(f"the notebook has an error output ({out.get('ename')}); not exported")
    shown = _outputs_html(nb)
    if title is None and _TITLE.search(shown):
        title = html_lib.unescape(_TITLE.search(shown).group(1))
    if title is None:
        m = _H1.search(shown)
        title = html_lib.unescape(_TAG.sub("", m.group(1))).strip() if m else "jamsos"
    resources = {
        "jamsos": {
            "lang": lang,
            "title": title,
            "version": __version__,
            "chart_alt": labels["chart_alt"],
            "index_href": index_href,
            "back_label": labels["back_to_index"],
        },
        "metadata": {"name": title},
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    problems = offline_problems(body)
    if problems:
        raise JamsosError("the report page would load something from outside: " + "; ".join(problems))
    return body
