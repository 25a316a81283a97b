"""Every link of the rendered pages leads somewhere: a crawl of every ``href`` (and every
non-``data:`` ``src``) of every page of a month folder and of a scenario folder, rendered
through the real CLI. A relative link must name a file that exists (and its ``#anchor`` an
``id`` or ``name`` in it); an outside address may only be a plain ``https://`` link to a
source (an ``<a>``, never something the page loads)."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import report_fixture

pytestmark = pytest.mark.slow


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.anchors.add(value)
            if name in ("href", "src", "action", "poster", "srcset") or (tag == "object" and name == "data"):
                self.links.append((tag, name, value))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def crawl(folder: Path) -> tuple[list[str], int]:
    """The broken links of every ``*.html`` in ``folder`` (one line each) and how many links were followed."""
    problems, followed, parsed = [], 0, {}
    for path in sorted(folder.glob("*.html")):
        page = parsed.setdefault(path, _parse(path))
        for tag, attr, value in page.links:
            if value.startswith("data:") and attr == "src":
                continue
            followed += 1
            where = f"{path.name}: <{tag} {attr}={value!r}>"
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                if not (parts.scheme == "https" and tag == "a" and attr == "href"):
                    problems.append(f"{where}: an outside address may only be a plain https:// source link")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                problems.append(f"{where}: no such file")
                continue
            if parts.fragment:
                anchors = parsed.setdefault(target, _parse(target)).anchors
                if unquote(parts.fragment) not in anchors:
                    problems.append(f"{where}: no #{parts.fragment} in {target.name}")
    return problems, followed


def test_the_crawler_finds_each_kind_of_broken_link(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html">ok</a><a href="b.html#here">ok</a><a href="#top" id="top">ok</a>'
        '<a href="https://bps.go.id/x">ok, a source</a><img src="data:image/png;base64,AA==">'
        '<a href="missing.html">1</a><a href="b.html#nowhere">2</a><a href="http://example.org">3</a>'
        '<img src="https://example.org/x.png"><a href="#gone">5</a>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h2 id="here">b</h2>', encoding="utf-8")
    problems, followed = crawl(tmp_path)
    assert followed == 9
    assert [p.split(": ")[1] for p in problems] == [
        "<a href='missing.html'>",
        "<a href='b.html#nowhere'>",
        "<a href='http://example.org'>",
        "<img src='https://example.org/x.png'>",
        "<a href='#gone'>",
    ]


def test_every_link_of_a_month_folder_resolves(pages):
    names = {p.name for p in pages.folder.glob("*.html")}
    assert {"index.html", "provinsi-35.html", "3513-kabupaten-probolinggo.html"} <= names
    problems, followed = crawl(pages.folder)
    assert not problems, "\n".join(problems)
    assert followed >= 2 * (len(names) - 1)  # the index links to every page, every page back to it


@pytest.fixture(scope="module")
def scenario_folder(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario-reports")
    for code in ("3503", "3513"):
        cmd = [
            sys.executable,
            "-m",
            "jamsos_lib",
            "scenario",
            "--region",
            code,
            "--period",
            report_fixture.PERIOD,
            "--out",
            str(out),
            "--data",
            str(pages.data_dir),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "scenarios"


def test_every_link_of_a_scenario_folder_resolves(scenario_folder):
    names = sorted(p.name for p in scenario_folder.glob("*.html"))
    assert names == ["3503-kabupaten-trenggalek.html", "3513-kabupaten-probolinggo.html", "index.html"]
    problems, followed = crawl(scenario_folder)
    assert not problems, "\n".join(problems)
    # the index lists both pages (the later run found the earlier page), each page links back
    index = _parse(scenario_folder / "index.html")
    assert [v for tag, _a, v in index.links if tag == "a"] == names[:2]
    assert followed >= 4
