"""How the chat serves its web client: the page at ``/`` with its security policy, assets with
their types and ETags, and files that keep to the rules (no inline script, no HTML built
from text, nothing from elsewhere)."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import requests

from netsandbox.chat.web import STATIC_URL, load_assets

WEB = Path(str(files("netsandbox.chat.web")))
STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# Ways of turning text into HTML (or code) that the client never uses.
UNSAFE_JS = re.compile(
    r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\("
    r"|setTimeout\(\s*[\"'`]|createContextualFragment"
)

COMMENT = re.compile(r"(^|\s)//.*", re.M)


class PageParts(HTMLParser):
    """The scripts, styles, links and attributes of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_elements = 0
        self.urls: list[str] = []
        self.forbidden_attributes: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not attributes.get("src"):
                self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.forbidden_attributes.append(f"<{tag} {name}>")
            if name in ("src", "href") and value:
                self.urls.append(value)


def parse_page(text: str) -> PageParts:
    parts = PageParts()
    parts.feed(text)
    return parts


def test_the_page_is_at_the_root_with_its_security_headers(url: str) -> None:
    page = requests.get(f"{url}/", timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == STRICT_POLICY
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-cache"
    assert '<script type="module" src="/static/js/main.js">' in page.text


def test_every_asset_the_page_uses_is_served_with_its_type(url: str) -> None:
    parts = parse_page(requests.get(f"{url}/", timeout=10).text)
    assert parts.urls, "the page links its CSS and scripts"
    types = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
    for link in parts.urls:
        assert link.startswith(f"{STATIC_URL}/"), f"{link} is not served by us"
        asset = requests.get(f"{url}{link}", timeout=10)
        assert asset.status_code == 200, link
        assert asset.headers["content-type"].startswith(types[Path(link).suffix]), link
        assert asset.headers["x-content-type-options"] == "nosniff"


def test_modules_import_only_modules_that_are_served(url: str) -> None:
    imported = re.compile(r"""^import .* from "(\.{1,2}/[\w/.]+)";$""", re.M)
    for path in load_assets(WEB / "static"):
        if not path.endswith(".js"):
            continue
        for relative in imported.findall((WEB / "static" / path).read_text()):
            target = posixpath.normpath(posixpath.join(STATIC_URL, path, "..", relative))
            served = requests.get(f"{url}{target}", timeout=10)
            assert served.status_code == 200, f"{path} imports {relative}"


def test_an_unchanged_asset_is_not_sent_again(url: str) -> None:
    first = requests.get(f"{url}/static/chat.css", timeout=10)
    etag = first.headers["etag"]
    again = requests.get(f"{url}/static/chat.css", headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304
    assert again.content == b""
    page = requests.get(f"{url}/", timeout=10)
    page_again = requests.get(f"{url}/", headers={"If-None-Match": page.headers["etag"]})
    assert page_again.status_code == 304


def test_a_missing_asset_is_a_json_404(url: str) -> None:
    for path in ("/static/nothing.js", "/static/../__init__.py", "/static/js/"):
        missing = requests.get(f"{url}{path}", timeout=10)
        assert missing.status_code == 404, path
        assert missing.json()["error"]["code"] == "not_found"


def test_the_page_has_no_inline_script_or_style_and_nothing_from_elsewhere() -> None:
    parts = parse_page((WEB / "index.html").read_text())
    assert parts.inline_scripts == 0
    assert parts.style_elements == 0
    assert parts.forbidden_attributes == []
    assert all(link.startswith("/static/") for link in parts.urls)


def test_scripts_never_turn_text_into_html_or_code() -> None:
    scripts = sorted((WEB / "static").rglob("*.js"))
    assert len(scripts) >= 10
    for script in scripts:
        code = COMMENT.sub("", script.read_text())  # comments may name what not to do
        assert not UNSAFE_JS.search(code), f"{script.name}: {UNSAFE_JS.search(code)}"
        assert not re.search(r"https?://", code), f"{script.name} names another site"


def test_the_files_ship_with_the_package() -> None:
    assets = load_assets(WEB / "static")
    assert {"chat.css", "icon.svg", "js/main.js", "js/api.js", "js/events.js"} <= set(assets)
    assert (WEB / "index.html").is_file()


def test_head_gives_the_headers_without_the_body(url: str) -> None:
    for path in ("/", "/static/chat.css"):
        full = requests.get(f"{url}{path}", timeout=10)
        head = requests.head(f"{url}{path}", timeout=10)
        assert head.status_code == 200, path
        assert head.content == b""
        for name in ("content-type", "content-length", "etag", "cache-control"):
            assert head.headers[name] == full.headers[name], (path, name)
    assert requests.head(f"{url}/", timeout=10).headers["content-security-policy"] == STRICT_POLICY
