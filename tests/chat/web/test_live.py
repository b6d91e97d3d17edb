"""Two people, two browsers: what one does shows up at once on the other's screen, through
the event stream, without reloading; and the whole of it by keyboard alone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.chat.web.conftest import Account, MakeAccount, OpenTab
from tests.chat.web.pages import (
    composer,
    conversation_log,
    people,
    person,
    sign_in,
)

LIVE = 1000  # ms: a deadline (expect polls until then), not a pause


def two_people(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> tuple[Account, Page, Account, Page]:
    ada, bob = make_account("Ada"), make_account("Bob")
    ada_page, bob_page = open_tab(), open_tab()
    sign_in(ada_page, url, ada)
    sign_in(bob_page, url, bob)
    # The list shows once the event stream is open: nothing after this is missed.
    expect(person(ada_page, bob.display_name)).to_be_visible()
    expect(person(bob_page, ada.display_name)).to_be_visible()
    return ada, ada_page, bob, bob_page


def test_a_status_change_shows_in_the_other_sidebar_within_a_second(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    _, ada_page, bob, bob_page = two_people(url, make_account, open_tab)
    bob_for_ada = person(ada_page, bob.display_name)
    expect(bob_for_ada).to_have_accessible_name(re.compile(", online"))

    bob_page.get_by_label("My status").fill("At lunch")
    bob_page.get_by_role("button", name="Save").click()

    expect(bob_for_ada).to_contain_text("At lunch", timeout=LIVE)
    expect(bob_page.get_by_role("status").filter(has_text="Status saved.")).to_be_visible()


def test_a_message_shows_live_and_counts_as_unread_until_opened(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, ada_page, bob, bob_page = two_people(url, make_account, open_tab)
    bob_for_ada = person(ada_page, bob.display_name)

    person(bob_page, ada.display_name).click()
    composer(bob_page).fill("Hello Ada")
    composer(bob_page).press("Enter")
    expect(conversation_log(bob_page).get_by_text("Hello Ada")).to_be_visible()
    expect(bob_for_ada).to_have_accessible_name(re.compile("1 unread"), timeout=LIVE)
    # Said aloud by a screen reader (a polite live region).
    announced = f"New message from {bob.display_name}: Hello Ada"
    expect(ada_page.get_by_role("status").filter(has_text=announced)).to_have_count(1)
    composer(bob_page).fill("Are you there?")
    composer(bob_page).press("Enter")
    expect(bob_for_ada).to_have_accessible_name(re.compile("2 unread"), timeout=LIVE)

    bob_for_ada.click()
    ada_log = conversation_log(ada_page)
    expect(ada_log.get_by_text("Hello Ada")).to_be_visible()
    expect(ada_log.get_by_text("Are you there?")).to_be_visible()
    expect(bob_for_ada).not_to_have_accessible_name(re.compile("unread"))
    # Bob sees his messages read, live too.
    bob_log = conversation_log(bob_page)
    expect(bob_log.get_by_text(re.compile("^Read "))).to_have_count(2, timeout=LIVE)

    # While the conversation is open, a new message appears in it and is read at once.
    composer(bob_page).fill("Good, you are!")
    composer(bob_page).press("Enter")
    expect(ada_log.get_by_text("Good, you are!")).to_be_visible(timeout=LIVE)
    expect(bob_log.get_by_text(re.compile("^Read "))).to_have_count(3, timeout=LIVE)
    expect(bob_for_ada).not_to_have_accessible_name(re.compile("unread"))


def test_a_message_from_a_script_shows_up_live(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, ada_page, bob, _ = two_people(url, make_account, open_tab)
    person(ada_page, bob.display_name).click()
    expect(composer(ada_page)).to_be_focused()
    bob.send(ada, "Sent with requests")
    expect(conversation_log(ada_page).get_by_text("Sent with requests")).to_be_visible(timeout=LIVE)


def test_send_with_the_keyboard_alone(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    page = open_tab()
    page.goto(f"{url}/")
    expect(page.get_by_label("Username").first).to_be_focused()
    page.keyboard.type(ada.username)
    page.keyboard.press("Tab")
    page.keyboard.type(ada.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("searchbox", name="Search people")).to_be_focused()

    bob_button = person(page, bob.display_name)
    expect(bob_button).to_be_visible()
    page.keyboard.type(bob.display_name)  # the list narrows to Bob: he is the next stop
    page.keyboard.press("Tab")
    expect(bob_button).to_be_focused()
    assert bob_button.evaluate("button => getComputedStyle(button).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(composer(page)).to_be_focused()
    page.keyboard.type("First line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    page.keyboard.press("Enter")

    expect(conversation_log(page).get_by_text("First line")).to_be_visible()
    expect(composer(page)).to_have_value("")
    expect(composer(page)).to_be_focused()
    inbox = bob.api("GET", "/api/messages").json()["items"]
    assert [message["body"] for message in inbox] == ["First line\nsecond line"]


def test_tab_goes_through_the_page_in_reading_order(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada = make_account("Ada")
    make_account("Bob")
    page = open_tab()
    sign_in(page, url, ada)
    page.reload()  # the focus starts from the top of the page
    expect(people(page).get_by_role("button").first).to_be_visible()
    for stop in (
        page.get_by_label("Language"),
        page.get_by_role("button", name="Sign out"),
        page.get_by_label("My status"),
        page.get_by_role("button", name="Save"),
        page.get_by_role("searchbox", name="Search people"),
        people(page).get_by_role("button").first,
    ):
        page.keyboard.press("Tab")
        expect(stop).to_be_focused()
