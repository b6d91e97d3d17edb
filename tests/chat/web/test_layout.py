"""The page on a phone (375 px wide) and a desktop, in light and dark, in English and French."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.chat.web.conftest import MakeAccount, OpenTab
from tests.chat.web.pages import (
    composer,
    conversation_log,
    people,
    person,
    sign_in,
)

PHONE = {"width": 375, "height": 667}
LONG_WORD = "https://example.org/" + "a-very-long-path-without-spaces/" * 12


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


def test_a_phone_shows_the_people_then_one_conversation_without_scrolling_sideways(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    bob.set_status("A status long enough to need more than one line on a narrow phone screen")
    bob.send(ada, LONG_WORD)
    page = open_tab(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_in_viewport()
    assert_no_horizontal_scroll(page)

    sign_in(page, url, ada)
    expect(person(page, bob.display_name)).to_be_in_viewport()
    assert_no_horizontal_scroll(page)

    person(page, bob.display_name).click()
    expect(people(page)).to_be_hidden()  # one pane at a time
    expect(conversation_log(page).get_by_text(LONG_WORD)).to_be_visible()
    expect(composer(page)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Send")).to_be_in_viewport()
    assert_no_horizontal_scroll(page)
    box = conversation_log(page).get_by_role("listitem").last.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    page.get_by_role("button", name="Back").click()
    expect(person(page, bob.display_name)).to_be_focused()
    expect(composer(page)).to_be_hidden()


def test_a_desktop_shows_people_and_conversation_side_by_side(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    page = open_tab(viewport={"width": 1280, "height": 800})
    sign_in(page, url, ada)
    person(page, bob.display_name).click()
    expect(people(page)).to_be_visible()
    expect(composer(page)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Back")).to_be_hidden()
    assert_no_horizontal_scroll(page)


def background_lightness(page: Page) -> float:
    """0 (black) to 1 (white): the page's background colour, as computed."""
    color = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(part) for part in re.findall(r"\d+", color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_the_theme_follows_the_system(url: str, open_tab: OpenTab) -> None:
    light = open_tab(color_scheme="light")
    dark = open_tab(color_scheme="dark")
    for page in (light, dark):
        page.goto(f"{url}/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert background_lightness(light) > 0.8
    assert background_lightness(dark) < 0.2


def test_french_follows_the_browser_and_the_switch_is_remembered(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    ada, bob = make_account("Ada"), make_account("Bob")
    bob.send(ada, "Bonjour !")
    page = open_tab(locale="fr-FR")
    page.goto(f"{url}/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.get_by_label("Nom d\u2019utilisateur").first.fill(ada.username)
    page.get_by_label("Mot de passe").first.fill(ada.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(f"Connecté·e : {ada.display_name}")).to_be_visible()
    bob_button = page.get_by_role("list", name="Personnes").get_by_role(
        "button", name=re.compile(re.escape(bob.display_name))
    )
    expect(bob_button).to_have_accessible_name(re.compile(", 1 non lu$"))

    page.get_by_label("Langue").select_option("en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(person(page, bob.display_name)).to_have_accessible_name(re.compile("1 unread"))
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()  # remembered in this browser, over its French
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_label("Language").select_option("fr")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
