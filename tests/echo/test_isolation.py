"""What the echo reflects cannot run as a page, nor show the chat's session cookie."""

from __future__ import annotations

from urllib.parse import quote

import requests

from tests.browser import OfflinePage
from tests.conftest import ServiceProcess

SANDBOX = "sandbox; default-src 'none'"
SCRIPT = "<script>document.title='ran'</script>"


def _policies(response: requests.Response) -> list[str]:
    return [v for k, v in response.raw.headers.items() if k.lower() == "content-security-policy"]


def test_reflected_html_is_sandboxed(base_url: str) -> None:
    url = f"{base_url}/response-headers?Content-Type=text/html&X={quote(SCRIPT)}"
    out = requests.get(url, timeout=5)
    assert out.headers["Content-Type"] == "text/html"
    assert SANDBOX in _policies(out)


def test_a_policy_asked_for_cannot_lift_the_sandbox(base_url: str) -> None:
    out = requests.get(
        f"{base_url}/response-headers",
        params={"Content-Security-Policy": "script-src *", "Content-Type": "text/html"},
        timeout=5,
    )
    assert SANDBOX in _policies(out)  # both policies apply: the browser enforces each


def test_every_echo_is_sandboxed_but_the_services_own_pages(base_url: str) -> None:
    for path in ("/get", "/html", "/base64/SFRUUEJJTg==", "/status/418", "/anything/x"):
        assert SANDBOX in _policies(requests.get(base_url + path, timeout=5)), path
    for path in ("/", "/docs", "/redoc"):
        assert SANDBOX not in _policies(requests.get(base_url + path, timeout=5)), path


def test_the_chat_session_cookie_is_never_echoed(base_url: str) -> None:
    cookie = {"Cookie": "lang=fr; netsandbox_session=abcdefghijklmnopqrstuvwxyz0123456789; x=1"}
    assert requests.get(f"{base_url}/cookies", headers=cookie, timeout=5).json() == {
        "cookies": {"lang": "fr", "x": "1"}
    }
    shown = requests.get(f"{base_url}/headers", headers=cookie, timeout=5).json()
    assert shown["headers"]["Cookie"] == "lang=fr; x=1"
    alone = {"Cookie": "netsandbox_session=abcdefghijklmnopqrstuvwxyz0123456789"}
    assert (
        "Cookie" not in requests.get(f"{base_url}/get", headers=alone, timeout=5).json()["headers"]
    )


def test_other_cookies_are_echoed_as_before(base_url: str) -> None:
    with requests.Session() as session:
        out = session.get(f"{base_url}/cookies/set?lang=fr&theme=dark", timeout=5)
        assert out.json() == {"cookies": {"lang": "fr", "theme": "dark"}}


def test_a_reflected_script_does_not_run_in_a_browser(
    echo: ServiceProcess, offline_page: OfflinePage
) -> None:
    page = offline_page.page
    base = f"http://{echo.host}:{echo.port}"
    page.goto(f"{base}/response-headers?Content-Type=text/html&X={quote(SCRIPT)}")
    assert page.title() != "ran"
    assert page.evaluate("() => window.origin") == "null"  # sandboxed: no origin of its own
