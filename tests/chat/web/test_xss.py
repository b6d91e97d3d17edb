"""Twenty classic script injections as message bodies, display names and statuses, received
with the page's first load and then live: all shown as the text they are, none runs.

Each payload would set ``window.__xss`` or open a dialog if it ran; the page is also
searched for any element or event-handler attribute that the client never creates itself.
"""

from __future__ import annotations

from playwright.sync_api import Dialog, Page, expect

from tests.chat.web.conftest import Account, MakeAccount, OpenTab
from tests.chat.web.pages import conversation_log, people, person, sign_in

# Single lines of at most 64 characters: valid as display names (and statuses, messages).
PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=alert(2)>",
    '<svg onload="window.__xss=3">',
    "<svg><script>window.__xss=4</script></svg>",
    '<a href="javascript:window.__xss=5">click me</a>',
    "javascript:window.__xss=6",
    '"><script>window.__xss=7</script>',
    "'><img src=x onerror=window.__xss=8>",
    "</textarea><script>alert(9)</script>",
    '<iframe src="javascript:parent.__xss=10"></iframe>',
    '<body onload="window.__xss=11">',
    '<details open ontoggle="window.__xss=12">',
    '<input autofocus onfocus="window.__xss=13">',
    '<template><img src=x onerror="alert(14)"></template>',
    "&lt;script&gt;window.__xss=15&lt;/script&gt;",
    "{{constructor.constructor('window.__xss=16')()}}",
    "${window.__xss=17}",
    '<math><mtext><img src=x onerror="window.__xss=18">',
    '<object data="javascript:window.__xss=19"></object>',
    '<style>*{}</style><marquee onstart="alert(20)">',
]

# Elements and attributes that would mean some text was parsed as HTML.
INJECTED = """() => {
  const foreign = document.querySelectorAll(
    "img, svg, math, iframe, object, embed, marquee, template, a, base, style, " +
    "input:not([id]), script:not([src])"
  );
  const handlers = [...document.querySelectorAll("*")].filter((element) =>
    [...element.attributes].some((attribute) => attribute.name.startsWith("on")));
  return [...foreign, ...handlers].map((element) => element.outerHTML.slice(0, 80));
}"""
WATCH_CSP = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.__cspViolations ??= []).push(event.violatedDirective);
});"""


def test_payloads_are_shown_as_text_and_run_nothing(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    assert len(set(PAYLOADS)) == 20 and all(len(p) <= 64 for p in PAYLOADS)
    victim = make_account("Victim")
    # Delivered by history: people with such names and statuses, and such messages, all
    # there before the page loads.
    before = [make_account(payload, exact=True) for payload in PAYLOADS]
    for account in before:
        account.set_status(account.display_name)
    sender = before[0]
    for payload in PAYLOADS:
        sender.send(victim, payload)

    page = open_tab()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: _refuse(dialog, dialogs))
    page.add_init_script(WATCH_CSP)
    sign_in(page, url, victim)
    person(page, sender.display_name).click()
    log = conversation_log(page)
    for payload in PAYLOADS:
        expect(log.get_by_text(payload, exact=True)).to_have_count(1)
        # The name, and the status, of its person.
        expect(people(page).get_by_text(payload, exact=True)).to_have_count(2)

    # Delivered live: new people (user.created), their statuses (user.status), messages
    # (message.created) into the open conversation.
    later: list[Account] = []
    for payload in PAYLOADS:
        account = make_account(payload, exact=True)
        account.set_status(payload)
        later.append(account)
        sender.send(victim, payload)
    for payload in PAYLOADS:
        expect(log.get_by_text(payload, exact=True)).to_have_count(2)
        expect(people(page).get_by_text(payload, exact=True)).to_have_count(4)
    # And the announcement of the last one, for screen readers.
    expect(page.get_by_role("status").filter(has_text=PAYLOADS[-1])).to_have_count(1)

    _assert_nothing_ran(page, dialogs)


def test_a_display_name_shows_as_text_in_the_conversation_header(
    url: str, make_account: MakeAccount, open_tab: OpenTab
) -> None:
    victim = make_account("Victim")
    payload = PAYLOADS[1]
    stranger = make_account(payload, exact=True)
    stranger.set_status(PAYLOADS[2])
    page = open_tab()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: _refuse(dialog, dialogs))
    sign_in(page, url, victim)
    people(page).get_by_role("button", name=payload).last.click()
    expect(page.get_by_role("heading", name=payload)).to_be_visible()
    expect(page.get_by_role("textbox", name=f"Message to {payload}")).to_be_focused()
    _assert_nothing_ran(page, dialogs)


def _refuse(dialog: Dialog, dialogs: list[str]) -> None:
    dialogs.append(dialog.message)
    dialog.dismiss()


def _assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert page.evaluate(INJECTED) == []
    assert page.evaluate("window.__cspViolations ?? []") == []
