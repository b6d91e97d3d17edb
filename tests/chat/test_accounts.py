"""Teacher-made accounts: rosters, usernames derived from names, demo accounts."""

from __future__ import annotations

import pytest

from netsandbox.chat.accounts import (
    RosterError,
    check_account,
    create_accounts,
    demo_accounts,
    parse_roster,
    username_from_name,
)


@pytest.mark.parametrize(
    ("name", "username"),
    [("Élise Müller-Ng", "elise.muller-ng"), ("  Jean   DUPONT ", "jean.dupont"),
     ("O'Brien, Pat", "o.brien.pat"), ("李雷", "")],
)  # fmt: skip
def test_username_from_name(name: str, username: str) -> None:
    assert username_from_name(name) == username


def test_roster_with_semicolons_a_bom_and_derived_usernames() -> None:
    roster = "\ufeffNom;Role\nÉlise Müller;student\nJean Dupont;TEACHER\n\n"
    accounts = parse_roster(roster)
    assert [(a.username, a.display_name, a.role) for a in accounts] == [
        ("elise.muller", "Élise Müller", "student"),
        ("jean.dupont", "Jean Dupont", "teacher"),
    ]


def test_roster_with_usernames_and_passwords() -> None:
    accounts = parse_roster("username,password\nada,long-enough-pw\nbob,\n")
    assert [(a.username, a.display_name, a.password) for a in accounts] == [
        ("ada", "ada", "long-enough-pw"), ("bob", "bob", ""),
    ]  # fmt: skip


def test_roster_problems_are_all_reported_with_their_lines() -> None:
    roster = (
        "username,role,password\nada,student,\nAda Two,student,\nbob,boss,\nada,,\ncat,,short\n"
    )
    with pytest.raises(RosterError) as caught:
        parse_roster(roster)
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["line 3", "line 4", "line 5", "line 6"]
    assert "appears twice" in lines[2]


@pytest.mark.parametrize("roster", ["", "email\nx@y.z\n"])
def test_a_roster_needs_a_header_naming_the_columns(roster: str) -> None:
    with pytest.raises(RosterError, match="first line"):
        parse_roster(roster)


def test_check_account_refuses_multiline_display_names() -> None:
    _, problem = check_account("ada", "Ada\nLovelace")
    assert "one line" in problem


async def test_created_accounts_can_log_in_and_existing_ones_are_skipped(app, client) -> None:
    chat = app.state.chat
    accounts = parse_roster("name\nÉlise Müller\nJean Dupont\n")
    credentials, skipped = await create_accounts(chat, accounts)
    assert skipped == []
    assert [c["username"] for c in credentials] == ["elise.muller", "jean.dupont"]
    for c in credentials:
        response = await client.post(
            "/api/auth/token", data={"username": c["username"], "password": c["password"]}
        )
        assert response.status_code == 200
    again, skipped = await create_accounts(chat, accounts)
    assert (again, skipped) == ([], ["elise.muller", "jean.dupont"])


async def test_demo_accounts_get_fresh_passwords_each_time(app, client) -> None:
    first = dict(await demo_accounts(app.state.chat))
    second = dict(await demo_accounts(app.state.chat))
    assert first.keys() == second.keys() and len(first) == 3
    for username, password in second.items():
        assert password != first[username]
        ok = await client.post(
            "/api/auth/token", data={"username": username, "password": password}
        )
        assert ok.status_code == 200


def test_up_prints_demo_passwords_on_loopback_only(tmp_path) -> None:
    from netsandbox.chat.accounts import prepare_up
    from netsandbox.services import SERVICES

    chat = SERVICES["chat"]
    local = chat.settings(data_dir=tmp_path, defaults=chat.loopback_up_defaults)
    lines = prepare_up(local)
    assert "registration is open" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ["demo-ada", "demo-alan", "demo-grace"]
    assert prepare_up(local.replace(host="0.0.0.0")) == []
