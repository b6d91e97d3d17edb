"""Signing in and out of the web client, registering, and the "use the API" panel."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.chat.live import base_url, running_chat
from tests.chat.web.conftest import MakeAccount, OpenTab
from tests.chat.web.pages import person, sign_in

COOKIE = "netsandbox_session"


def session_cookie(page: Page) -> dict:
    (cookie,) = [c for c in page.context.cookies() if c["name"] == COOKIE]
    return cookie


def test_sign_in_shows_the_people_with_a_cookie_scripts_cannot_read(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    bob = make_account("Bob")
    page = open_tab()
    sign_in(page, url, ada)

    expect(person(page, bob.display_name)).to_be_visible()
    expect(person(page, ada.display_name)).to_have_count(0)  # not myself
    cookie = session_cookie(page)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""


def test_a_page_opened_again_is_still_signed_in(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    page = open_tab()
    sign_in(page, url, ada)
    page.reload()
    expect(page.get_by_text(f"Signed in as {ada.display_name}")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_hidden()


def test_a_wrong_password_says_so_and_stays_signed_out(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    page = open_tab()
    page.goto(f"{url}/")
    page.get_by_label("Username").first.fill(ada.username)
    page.get_by_label("Password").first.fill("not-her-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("password", re.I))
    expect(page.get_by_role("list", name="People")).to_be_hidden()


def test_sign_out_revokes_the_session(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    page = open_tab()
    sign_in(page, url, ada)
    old = {COOKIE: session_cookie(page)["value"]}
    assert requests.get(f"{url}/api/session", cookies=old, timeout=10).status_code == 200

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("list", name="People")).to_be_hidden()
    assert requests.get(f"{url}/api/session", cookies=old, timeout=10).status_code == 401
    assert requests.get(f"{url}/api/users", cookies=old, timeout=10).status_code == 401
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_register_when_registration_is_open(url: str, open_tab: OpenTab) -> None:
    page = open_tab()
    page.goto(f"{url}/")
    page.get_by_text("Create an account").click()
    form = page.get_by_role("form", name="Create an account")
    form.get_by_label("Username").fill("grace-web")
    form.get_by_label("Display name (optional)").fill("Grace Hopper")
    form.get_by_label("Password").fill("a-long-enough-password")
    expect(form.get_by_label("Join code")).to_be_hidden()
    form.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Signed in as Grace Hopper")).to_be_visible()


def test_a_refused_registration_shows_the_servers_reason(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    taken = make_account("Taken")
    page = open_tab()
    page.goto(f"{url}/")
    page.get_by_text("Create an account").click()
    form = page.get_by_role("form", name="Create an account")
    form.get_by_label("Username").fill(taken.username)
    form.get_by_label("Password").fill("a-long-enough-password")
    form.get_by_role("button", name="Create my account").click()
    expect(form.get_by_role("alert")).to_contain_text("is taken")


@pytest.mark.parametrize(("registration", "shown", "join_code"), [
    ("closed", False, False), ("code:blue-whale", True, True),
])  # fmt: skip
def test_register_follows_the_servers_registration_mode(
    tmp_path: Path,
    open_tab: OpenTab,
    registration: str,
    shown: bool,
    join_code: bool,
) -> None:
    with running_chat(tmp_path, "--registration", registration) as service:
        page = open_tab()
        page.goto(f"{base_url(service)}/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        register = page.get_by_text("Create an account")
        if not shown:
            expect(register).to_be_hidden()
            return
        register.click()
        form = page.get_by_role("form", name="Create an account")
        expect(form.get_by_label("Join code")).to_be_visible()
        form.get_by_label("Username").fill("with-code")
        form.get_by_label("Password").fill("a-long-enough-password")
        form.get_by_label("Join code").fill("blue-whale")
        form.get_by_role("button", name="Create my account").click()
        expect(page.get_by_text("Signed in as with-code")).to_be_visible()


def test_the_api_panel_gives_a_separate_token_in_a_snippet_that_runs(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    page = open_tab()
    sign_in(page, url, ada)
    page.get_by_text("Use the API").click()
    expect(page.get_by_role("paragraph").filter(has_text="My user id:")).to_have_text(
        f"My user id: {ada.id}"
    )
    page.get_by_role("button", name="Create an API token").click()
    snippet = page.get_by_label("Python, with requests:")
    expect(snippet).to_have_value(re.compile("Bearer"))
    code = snippet.input_value()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The token outlives the page's session: the student's program goes on working.
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert f"I am {ada.username} with id {ada.id}" in run.stdout


def test_signing_out_in_one_tab_signs_out_the_others_at_once(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    first = open_tab()
    sign_in(first, url, ada)
    second = first.context.new_page()  # the same browser: the same session
    second.goto(f"{url}/")
    expect(second.get_by_text(f"Signed in as {ada.display_name}")).to_be_visible()

    first.get_by_role("button", name="Sign out").click()

    # Its event stream is closed by the server, and the page says why.
    expect(second.get_by_role("alert")).to_have_text("Your session ended: sign in again.")
    expect(second.get_by_role("heading", name="Sign in")).to_be_visible()
