"""What a person does and sees on the web client, for the tests: elements found by their
role and accessible name (or label), as a screen reader would find them."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.chat.web.conftest import Account


def sign_in(page: Page, url: str, account: Account) -> None:
    """Open the client, sign in as ``account`` and wait until the people list is loaded
    (then the event stream is open too)."""
    page.goto(f"{url}/")
    page.get_by_label("Username").first.fill(account.username)
    page.get_by_label("Password").first.fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {account.display_name}")).to_be_visible()
    wait_for_people(page)


def wait_for_people(page: Page) -> None:
    """The list says it is busy (aria-busy) while it loads."""
    expect(people(page)).not_to_have_attribute("aria-busy", "true")


def people(page: Page) -> Locator:
    return page.get_by_role("list", name="People")


def person(page: Page, display_name: str) -> Locator:
    """The button of someone in the people list (its name: display name, presence, status,
    unread count)."""
    # Playwright passes the pattern on as /source/: a "/" in a name must be escaped too.
    name = re.escape(display_name).replace("/", "\\/")
    return people(page).get_by_role("button", name=re.compile(f"^{name}\\s*,"))


def conversation_log(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile("^Messages with "))


def composer(page: Page) -> Locator:
    return page.get_by_role("textbox", name=re.compile("^Message to "))
