"""Every HTML page obligraph writes shows document text as text (issue 12).

Two drafts of a small agreement written here carry markup in the title, the
headings, the party names (through a party register, and a name the document
defines), the quotes and the file name: ``<script>``, ``</script>``,
``</style>``, ``</title>`` and attributes such as ``"onerror=``. They are built
through the command line, and each HTML output (the check report, the party
graph, the diff) is read twice: parsed here (no script, event handler or image
came from the documents, and every payload is in the page's text), and opened
in headless Chromium (no payload ran, and each reads on the page as written).
Each payload that would run sets ``window.__pwned`` to its own number, or the
page title.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

TITLE = "Devolution agreement </title><script>document.title='pwned'</script>"
HEADING = "Funding </style><script>window.__pwned=3</script>"
COUNCIL = "<script>window.__pwned=1</script> Council"
TRUST = '"onerror=window.__pwned=2 x=" Trust'
QUOTE_SCRIPT = '</script><img src=x onerror="window.__pwned=4">'
QUOTE_HANDLER = '<b onmouseover="window.__pwned=5">data</b>'
QUOTE_ATTRIBUTE = '"onerror=window.__pwned=6'
DEFINED = "<img src=x onerror=window.__pwned=7>"
FILE_NAME = 'agreement "><img src=x onerror=window.__pwned=8>.md'

REGISTER = r'''
@prefix obl:  <https://w3id.org/obligraph/ns#> .
@prefix party: <https://w3id.org/obligraph/id/party/> .
@prefix kind: <https://w3id.org/obligraph/ns/kind/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

party:script-council a obl:Party ; skos:prefLabel "<script>window.__pwned=1</script> Council" ;
    skos:altLabel "BSC" ; obl:partyKind kind:localGovernment .
party:onerror-trust a obl:Party ; skos:prefLabel "\"onerror=window.__pwned=2 x=\" Trust" ;
    skos:altLabel "QT" ; obl:partyKind kind:nhsBody .
'''

OLD = f"""# {TITLE}

## 1. Parties

This agreement is made between the {COUNCIL} (BSC), the {TRUST} (QT) and the Health Board ("{DEFINED}").

## 2. {HEADING}

BSC will publish a funding plan for QT by March 2017.

QT commits to sharing data with BSC.
"""

NEW = f"""# {TITLE}

## 1. Parties

This agreement is made between the {COUNCIL} (BSC), the {TRUST} (QT) and the Health Board ("{DEFINED}").

## 2. {HEADING}

BSC will explore a funding plan {QUOTE_SCRIPT} for QT by March 2018.

QT commits to sharing {QUOTE_HANDLER} with BSC.

In return, BSC agrees to fund the {QUOTE_ATTRIBUTE} pilot.

The Health Board will report to {DEFINED} each year.
"""

# Strings every page must show as text: what each output is built from.
SHOWN = {
    "report": [HEADING, QUOTE_SCRIPT, QUOTE_HANDLER, FILE_NAME],
    "diff": [HEADING, QUOTE_SCRIPT, QUOTE_HANDLER, QUOTE_ATTRIBUTE, COUNCIL, TRUST, FILE_NAME],
    "party_graph": [TITLE],
}
TITLES = {
    "report": "obligraph check: compliance report",
    "diff": "obligraph diff: what changed between two drafts",
    "party_graph": "Who owes what to whom: " + TITLE,
}
# The page's own scripts: the party graph carries its data and its code inline.
SCRIPTS = {"report": 0, "diff": 0, "party_graph": 2}


@pytest.fixture(scope="module")
def pages(tmp_path_factory, nlp) -> dict[str, Path]:
    """The check report, the party graph and the diff of the drafts, made by the CLI."""
    from graph import extract, pipeline

    tmp = tmp_path_factory.mktemp("hostile-html")
    old, new = tmp / "old" / "agreement.md", tmp / "new" / FILE_NAME
    for path, text in ((old, OLD), (new, NEW)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    register = tmp / "register.ttl"
    register.write_text(REGISTER, encoding="utf-8")
    store = tmp / ".obligraph"
    out = {name: tmp / f"{name}.html" for name in SCRIPTS}
    runs = [
        (["build", str(new), "--store", str(store), "--parties", str(register), "-q"], 0),
        (["check", "--store", str(store), "--format", "html", "-o", str(out["report"])], 1),
        (["draw", "--store", str(store), "-o", str(out["party_graph"])], 0),
        (["diff", str(old), str(new), "--parties", str(register), "--format", "html", "-o", str(out["diff"])], 1),
    ]
    with pytest.MonkeyPatch.context() as mp:  # the session's model, not a second load
        mp.setattr(pipeline, "load_nlp", lambda model=None: nlp)
        mp.setattr(extract, "load_nlp", lambda model=None: nlp)
        for args, code in runs:
            result = CliRunner().invoke(main, args)
            assert result.exit_code == code, (args, result.output)
    return out


class _Page(HTMLParser):
    """The elements, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data) -> None:
        self.text.append(data)


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_the_documents_put_every_payload_into_the_graph(pages):
    """The test is only as good as its payloads: they must reach each output."""
    report = parsed(pages["report"])
    assert "section" in report.tags and "blockquote" in report.tags  # findings, with passages
    diff = parsed(pages["diff"])
    assert "del" in diff.tags and "ins" in diff.tags  # a changed commitment, both wordings
    data = pages["party_graph"].read_text(encoding="utf-8")
    for name in (COUNCIL, TRUST):
        assert html.escape(name) not in data  # the graph data is JSON, not HTML ...
        assert name.replace("<", "\\u003c").replace(">", "\\u003e").replace('"', '\\"') in data  # ... with < > escaped


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_no_markup_from_the_documents_reaches_the_page(pages, name):
    page = parsed(pages[name])
    assert page.tags.count("script") == SCRIPTS[name]
    assert "img" not in page.tags and "b" not in page.tags
    assert not [a for a in page.attributes if a.startswith("on")]
    assert page.tags.count("style") == 1 and page.tags.count("title") == 1
    text = "".join(page.text)
    for payload in SHOWN[name]:
        assert payload in text, payload


# --- in a browser --------------------------------------------------------------------


@pytest.fixture()
def opened(browser):
    """Open a page from a file; collect dialogs and errors; close it afterwards."""
    tabs = []

    def open_page(path: Path):
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.dialogs, tab.errors = [], []
        tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        tab.goto(path.as_uri())
        tabs.append(tab)
        return tab

    yield open_page
    for tab in tabs:
        tab.close()


def assert_nothing_ran(tab, name: str) -> None:
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert tab.title() == TITLES[name]
    assert tab.dialogs == [] and tab.errors == []
    assert tab.evaluate("document.scripts.length") == SCRIPTS[name]
    assert tab.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    handlers = """Array.from(document.querySelectorAll('*')).flatMap(e =>
        Array.from(e.attributes).map(a => a.name).filter(n => n.startsWith('on')))"""
    assert tab.evaluate(handlers) == []


@pytest.mark.browser
@pytest.mark.parametrize("name", ["report", "diff"])
def test_report_and_diff_show_the_payloads_as_text(pages, opened, name):
    tab = opened(pages[name])
    tab.wait_for_load_state("load")
    tab.hover("body")
    assert_nothing_ran(tab, name)
    shown = tab.inner_text("body")
    for payload in SHOWN[name]:
        assert payload in shown, payload
    assert tab.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # the page's style still applies


@pytest.mark.browser
def test_party_graph_shows_the_payloads_as_text(pages, opened):
    tab = opened(pages["party_graph"])
    tab.wait_for_function("window.partyGraph && window.partyGraph.ready")
    assert tab.text_content("#title") == TITLES["party_graph"]
    council = "https://w3id.org/obligraph/id/party/script-council"
    tab.evaluate(f"window.partyGraph.select('{council}')")
    assert tab.text_content("#panel-title") == COUNCIL
    panel = tab.text_content("#panel-body")
    assert QUOTE_SCRIPT in panel and QUOTE_ATTRIBUTE in panel and HEADING in panel
    tab.fill("#f-party", TRUST)
    tab.wait_for_function("document.getElementById('count').dataset.nodes !== '0'")
    options = tab.evaluate("Array.from(document.querySelectorAll('#party-names option')).map(o => o.value)")
    assert COUNCIL in options and TRUST in options
    assert_nothing_ran(tab, "party_graph")
