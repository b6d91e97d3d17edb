"""Screenshots of the chat's web client for the docs: desktop light, desktop dark, phone.

Starts a chat server on a free port with its data in a temporary folder, fills it with a
few people and a conversation, and photographs the page in Debian's Chromium through
Playwright (the test tools: ``scripts/bootstrap test``, ``apt-get install chromium``):

    .venv/bin/python scripts/chat_screenshots.py            # writes docs/images/chat-web-*.png
    .venv/bin/python scripts/chat_screenshots.py --out /tmp  # elsewhere
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from playwright.sync_api import Browser, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"chat listening on (\S+):(\d+)")
PASSWORD = "screenshot-password"
PEOPLE = [  # username, display name, status
    ("ada", "Ada Lovelace", "Writing the first program"),
    ("grace", "Grace Hopper", "Debugging (found a moth)"),
    ("alan", "Alan Turing", "On step 3 of the exercise"),
    ("margaret", "Margaret Hamilton", ""),
    ("tim", "Tim Berners-Lee", "Back at 14:00"),
]
CONVERSATION = [  # (from, to, body)
    ("grace", "ada", "Hi Ada! Did the event stream work for you?"),
    ("ada", "grace", "Yes: my status changed on Alan's screen at once, no reload."),
    ("grace", "ada", "Nice. Mine too.\nNext: the Python snippet from the API panel."),
    ("ada", "grace", "It printed my id. On to step 4!"),
]
UNREAD = [("alan", "ada", "Can you look at my code?"), ("alan", "ada", "Step 3 fails with a 422.")]
SHOTS = [  # file, viewport, colour scheme
    ("chat-web-desktop-light.png", {"width": 1280, "height": 760}, "light"),
    ("chat-web-desktop-dark.png", {"width": 1280, "height": 760}, "dark"),
    ("chat-web-phone.png", {"width": 375, "height": 740}, "light"),
]


@contextmanager
def chat_server(folder: Path) -> Iterator[str]:
    """``netsandbox serve chat`` on a free port; yields its URL and stops it at the end."""
    log = folder / "chat.log"
    command = [sys.executable, "-m", "netsandbox", "serve", "chat", "--port", "0",
               "--data-dir", str(folder / "data"), "--registration", "open"]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=output, cwd=ROOT)
    try:
        deadline = time.monotonic() + 20
        while not (match := READY.search(log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the chat server did not start:\n{log.read_text()}")
            time.sleep(0.05)
        yield f"http://{match.group(1)}:{match.group(2)}"
    finally:
        process.terminate()
        process.wait(10)


def fill(url: str) -> dict[str, dict]:
    """The people, their statuses and messages; returns each one's id and token by name."""
    people: dict[str, dict] = {}
    for username, display_name, status in PEOPLE:
        account = {"username": username, "password": PASSWORD, "display_name": display_name}
        user = requests.post(f"{url}/api/auth/register", json=account, timeout=10).json()
        login = {"username": username, "password": PASSWORD}
        token = requests.post(f"{url}/api/auth/token", data=login, timeout=10).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        people[username] = {"id": user["id"], "headers": headers}
        if status:
            requests.patch(f"{url}/api/users/me", json={"status": status}, headers=headers)
    for sender, to, body in CONVERSATION + UNREAD:
        message = {"to": people[to]["id"], "body": body}
        sent = requests.post(f"{url}/api/messages", json=message, headers=people[sender]["headers"])
        if to == "grace":  # she read Ada's messages: their read marks show
            read = f"{url}/api/messages/{sent.json()['id']}/read"
            requests.post(read, headers=people["grace"]["headers"], timeout=10)
    return people


def shoot(browser: Browser, url: str, out: Path) -> None:
    for name, viewport, scheme in SHOTS:
        context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-GB")
        page = context.new_page()
        page.goto(f"{url}/")
        page.get_by_label("Username").first.fill("ada")
        page.get_by_label("Password").first.fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        people = page.get_by_role("list", name="People")
        people.get_by_role("button", name=re.compile("^Grace Hopper")).click()
        expect(page.get_by_text("It printed my id.")).to_be_visible()
        page.get_by_role("textbox", name="Message to Grace Hopper").fill("See you at the break")
        page.screenshot(path=out / name)
        context.close()
        print(f"wrote {out / name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, chat_server(Path(folder)) as url:
        fill(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                shoot(browser, url, args.out)
            finally:
                browser.close()


if __name__ == "__main__":
    main()
