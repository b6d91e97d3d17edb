// The people list: everyone but me, with their presence, status and how many of their
// messages I have not read, filtered by the search box. Each person is a button that
// opens the conversation with them.
//
// Rows are kept per user id and updated in place, so a status change elsewhere does not
// move the keyboard focus of someone going through the list.

import { byId, el } from "../dom.js";
import { onLanguageChange, t } from "../i18n.js";

export function createSidebar({ state, onOpen }) {
  const list = byId("people");
  const search = byId("people-search");
  const empty = byId("people-empty");
  const rows = new Map(); // user id -> {item, button, parts...}

  search.addEventListener("input", render);
  onLanguageChange(render);

  function makeRow(userId) {
    const name = el("span", { class: "person-name" });
    const presenceText = el("span", { class: "visually-hidden" });
    const status = el("span", { class: "person-status" });
    const count = el("span", { "aria-hidden": "true" });
    const countText = el("span", { class: "visually-hidden" });
    const badge = el("span", { class: "badge" }, count, countText);
    const initial = el("span", { class: "avatar-letter" });
    const dot = el("span", { class: "dot" });
    const button = el(
      "button",
      { type: "button", class: "person", "data-user-id": userId },
      el("span", { class: "avatar", "aria-hidden": "true" }, initial, dot),
      // The hidden presence text sits inline with the name: read as "Ada, online".
      el("span", { class: "person-text" }, el("span", {}, name, presenceText), status),
      badge,
    );
    button.addEventListener("click", () => onOpen(userId));
    const row = { item: el("li", {}, button), button, name, presenceText, status, count,
      countText, badge, initial, dot };
    rows.set(userId, row);
    return row;
  }

  function fill(row, user) {
    const unread = state.unread.get(user.id)?.size ?? 0;
    row.name.textContent = user.display_name;
    row.initial.textContent = Array.from(user.display_name.trim())[0] ?? "?";
    row.presenceText.textContent = `, ${t(user.presence)}`;
    row.dot.dataset.presence = user.presence;
    row.status.textContent = user.status;
    row.status.hidden = !user.status;
    row.badge.hidden = unread === 0;
    row.count.textContent = String(unread);
    row.countText.textContent = `, ${t("unread", { count: unread })}`;
    if (user.id === state.openUserId) row.button.setAttribute("aria-current", "true");
    else row.button.removeAttribute("aria-current");
  }

  function matches(user, words) {
    const text = `${user.display_name} ${user.username}`.toLocaleLowerCase();
    return words.every((word) => text.includes(word));
  }

  function sortedOthers() {
    const others = [...state.users.values()].filter((user) => user.id !== state.me.id);
    return others.sort(
      (a, b) => a.display_name.localeCompare(b.display_name) || a.username.localeCompare(b.username),
    );
  }

  // Brings the list up to date with state.users, state.unread and the search box.
  function render() {
    if (state.me === null) return;
    const words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const focused = document.activeElement;
    let shown = 0;
    let position = list.firstElementChild;
    for (const user of sortedOthers()) {
      const row = rows.get(user.id) ?? makeRow(user.id);
      fill(row, user);
      row.item.hidden = !matches(user, words);
      shown += row.item.hidden ? 0 : 1;
      if (row.item === position) position = position.nextElementSibling;
      else list.insertBefore(row.item, position); // only rows out of place move
    }
    for (const [userId, row] of rows) {
      if (!state.users.has(userId)) {
        row.item.remove();
        rows.delete(userId);
      }
    }
    empty.hidden = shown > 0 || rows.size === 0;
    if (focused !== document.activeElement && list.contains(focused)) focused.focus();
  }

  return {
    render,
    // Puts the keyboard focus back on a person's button (after "Back" on a small screen).
    focusPerson(userId) {
      rows.get(userId)?.button.focus();
    },
    clear() {
      rows.clear();
      list.replaceChildren();
      search.value = "";
    },
  };
}
