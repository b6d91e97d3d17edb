"""The conversation pane and the composer: older messages on scroll, the length counter,
and the server's reason shown when it refuses a message."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.chat.web.conftest import MakeAccount, OpenTab
from tests.chat.web.pages import composer, conversation_log, person, sign_in

PAGE = 50  # messages in the client's first page of a conversation


def test_older_messages_load_when_scrolling_to_the_top(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    for number in range(1, PAGE + 6):
        bob.send(ada, f"Message number {number}")
    page = open_tab()
    sign_in(page, url, ada)
    person(page, bob.display_name).click()
    log = conversation_log(page)
    messages = log.get_by_role("listitem")
    expect(messages).to_have_count(PAGE)
    expect(log.get_by_text("Message number 55", exact=True)).to_be_in_viewport()
    expect(log.get_by_text("Message number 5", exact=True)).to_have_count(0)

    log.evaluate("log => log.scrollTo(0, 0)")

    expect(messages).to_have_count(PAGE + 5)
    expect(messages.first).to_contain_text("Message number 1")
    expect(log.get_by_role("button", name="Load older messages")).to_be_hidden()


def test_the_counter_and_a_message_too_long(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    page = open_tab()
    sign_in(page, url, ada)
    person(page, bob.display_name).click()
    box = composer(page)
    box.fill("Ça va ? 😀")  # characters, not UTF-16 units: 9
    expect(box).to_have_accessible_description(re.compile("9 / 2000 characters"))
    box.fill("x" * 2001)
    box.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("This message is 1 character too long.")
    expect(box).to_have_value("x" * 2001)  # kept, to shorten
    assert bob.api("GET", "/api/messages").json()["items"] == []


def test_a_message_the_server_refuses_shows_its_reason_and_stays(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    page = open_tab()
    sign_in(page, url, ada)
    person(page, bob.display_name).click()
    box = composer(page)
    box.fill("A bell \u0007 inside")  # a control character: the server says 422
    box.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("control characters")
    expect(box).to_have_value("A bell \u0007 inside")

    box.fill("A fine message")  # typing clears the error
    expect(page.get_by_role("alert")).to_have_count(0)
    box.press("Enter")
    expect(conversation_log(page).get_by_text("A fine message")).to_be_visible()
