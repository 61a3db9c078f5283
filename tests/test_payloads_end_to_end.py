"""The hostile corpus's script and HTML payloads, carried end to end: build, HTML views, report.md
and the endpoint. Everywhere they are data: escaped text, JSON, or plain text, never markup."""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from conftest import ROOT, start_endpoint

HOSTILE = Path(__file__).parent / "data" / "hostile-corpus"
PAYLOAD_MARK = "window.__pwned"
REFLECTED = "<script>alert(1)</script>"


def cli(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "out"
    cli("build", str(HOSTILE), "--out", str(out))
    return out


# --------------------------------------------------------------------------- views


class PageScan(HTMLParser):
    """Every element and attribute of a page; each <script> element with its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.csp = ""
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == (
            "content-security-policy"
        ):
            self.csp = attributes.get("content") or ""
        if tag == "script":
            self._script, self._text = attributes, []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def scan(path: Path) -> PageScan:
    page = PageScan()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def test_the_payloads_reach_the_graph(built: Path) -> None:
    trig = (built / "graph.trig").read_text(encoding="utf-8")
    assert "<script>window.__pwned=1</script>" in trig
    assert 'onerror=\\"window.__pwned=1\\"' in trig


def test_views_run_only_their_own_scripts(built: Path) -> None:
    pages = sorted((built / "views").glob("*.html"))
    assert {p.name for p in pages} >= {"provenance.html", "entities.html"}
    for path in pages:
        page = scan(path)
        assert "default-src 'none'" in page.csp, path.name
        allowed = set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", page.csp))
        data_blocks = 0
        for attributes, code in page.scripts:
            assert "src" not in attributes, path.name
            if attributes.get("id") == "cg-data":
                assert attributes.get("type") == "application/json"
                data_blocks += 1
                continue
            assert csp_hash(code) in allowed, f"{path.name}: a script the page did not ship"
            assert PAYLOAD_MARK not in code, path.name
        assert data_blocks == 1, path.name
        assert len(page.scripts) == 1 + len(allowed), path.name
        tags = {tag for tag, _ in page.tags}
        assert not tags & {"img", "iframe", "object", "embed", "image"}, path.name  # own <svg> ok
        for tag, attributes in page.tags:
            handlers = [name for name in attributes if name.startswith("on")]
            assert not handlers, f"{path.name}: <{tag}> has {handlers}"
            for name in ("href", "src", "action"):
                assert "javascript:" not in (attributes.get(name) or ""), path.name


def test_views_carry_the_payloads_as_data(built: Path) -> None:
    page = scan(built / "views" / "provenance.html")
    (data,) = [code for attributes, code in page.scripts if attributes.get("id") == "cg-data"]
    assert PAYLOAD_MARK in data  # the text is there, as JSON ...
    assert "<" not in data  # ... with every < escaped so it cannot end the element


# --------------------------------------------------------------------------- report.md


def _outside_code(markdown: str) -> str:
    without_blocks = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return re.sub(r"(`+)(?:(?!\1).)+\1", "", without_blocks)


def test_report_shows_payloads_as_inert_text(built: Path) -> None:
    report = (built / "report.md").read_text(encoding="utf-8")
    assert "Mallory" in report and "Registry" in report  # the labels are reported
    raw = sorted(set(re.findall(r"<(?:script|img|svg|a\s|/script|/title)[^>]*>?",
                                _outside_code(report))))
    assert raw == [], (
        "report.md carries markup from the data unescaped (a markdown renderer would run it): "
        + ", ".join(raw)
    )


# --------------------------------------------------------------------------- the endpoint


@pytest.fixture(scope="module")
def served(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("hostile-store") / "store"
    cli("load", str(built / "graph.trig"), "--store", f"oxigraph:{store}")
    process, base = start_endpoint("--store", f"oxigraph:{store}", "--views",
                                   str(built / "views"), "--timeout", "5")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def fetch(base: str, path: str, accept: str = "*/*") -> tuple[int, dict[str, str], str]:
    """A GET with ``path`` sent exactly as given (no client-side quoting)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_views_are_served_with_a_policy(served: str) -> None:
    status, headers, body = fetch(served, "/views/provenance.html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers.get("content-security-policy")
    assert headers.get("x-content-type-options") == "nosniff"
    assert PAYLOAD_MARK in body


def test_results_with_payloads_are_never_html(served: str) -> None:
    query = ("PREFIX schema: <https://schema.org/> "
             "SELECT ?text WHERE { ?c a schema:Claim ; schema:text ?text } ORDER BY ?text")
    for accept in ("text/html", "application/sparql-results+json", "*/*", ""):
        status, headers, body = fetch(served, "/sparql?" + urlencode({"query": query}), accept)
        assert status == 200
        assert headers["content-type"].startswith("application/sparql-results+json"), accept
        assert headers.get("x-content-type-options") == "nosniff"
        assert "<script>window.__pwned=1</script>" in body
    status, headers, body = fetch(served, "/queries/claims-by-claimant?agent=mallory")
    assert status == 200 and "</script><script>" in body
    assert headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize(
    "path",
    [
        "/queries/" + REFLECTED,
        "/queries/" + quote(REFLECTED, safe=""),
        "/queries/claims-by-claimant?" + urlencode({"agent": REFLECTED}),
        "/queries/claims-by-claimant?" + REFLECTED + "=1",
        "/queries/reporting-chain?" + urlencode({"claim": REFLECTED}),
        "/sparql?query=" + REFLECTED,
        "/sparql?query=" + quote(REFLECTED, safe=""),
        "/sparql?query=" + quote("SELECT * WHERE { " + REFLECTED + " }", safe=""),
        "/" + REFLECTED,
        "/views/" + REFLECTED,
        "/views/" + quote(REFLECTED, safe=""),
    ],
)
def test_errors_do_not_reflect_markup(served: str, path: str) -> None:
    status, headers, body = fetch(served, path, accept="text/html")
    content_type = headers.get("content-type", "")
    assert headers.get("x-content-type-options") == "nosniff"
    if content_type.startswith("text/html"):
        assert "<script>alert" not in body.lower(), (status, body[:200])
        assert headers.get("content-security-policy")
    else:
        assert not content_type.startswith(("application/xhtml", "image/svg")), content_type
