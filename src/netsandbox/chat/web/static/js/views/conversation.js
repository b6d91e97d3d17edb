// The open conversation: its messages oldest to newest, with times and read marks; older
// ones load when the top of the list scrolls into view (or with the button there). Messages
// sent to me are marked read while the conversation is open and the page is visible.

import * as api from "../api.js";
import { byId, el } from "../dom.js";
import { formatFullTime, formatTime, onLanguageChange, t } from "../i18n.js";

const NEAR_BOTTOM_PX = 80;

export function createConversation({ state, onRead }) {
  const title = byId("conversation-title");
  const subtitle = byId("conversation-subtitle");
  const emptyNote = byId("conversation-empty");
  const log = byId("log");
  const list = byId("messages");
  const older = byId("load-older");

  let shown = new Map(); // message id -> {message, item, meta}
  let cursor = null; // next_cursor of the last page loaded: older messages exist
  let generation = 0; // bumped on each open: answers for a conversation left are dropped
  let loadingOlder = false;
  let noteKey = "chooseSomeone"; // what the note under the header says, when shown
  const marking = new Set(); // ids whose "read" request is on its way

  older.addEventListener("click", loadOlder);
  // Reaching the top of the list loads the previous page, as in any messenger.
  new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadOlder();
    },
    { root: log },
  ).observe(older);
  document.addEventListener("visibilitychange", markRead);
  onLanguageChange(() => {
    renderHeader();
    if (noteKey) emptyNote.textContent = t(noteKey);
    for (const entry of shown.values()) fillMeta(entry);
  });

  // The note shown instead of messages: a key of i18n.js, or a server's error text.
  function note(key, text = null) {
    noteKey = text === null ? key : null;
    emptyNote.textContent = text ?? t(key);
    emptyNote.hidden = false;
  }

  function other() {
    return state.users.get(state.openUserId);
  }

  function renderHeader() {
    const user = other();
    if (!user) {
      title.textContent = t("noConversation");
      subtitle.textContent = "";
      return;
    }
    title.textContent = user.display_name;
    subtitle.textContent = [t(user.presence), user.status].filter(Boolean).join(" · ");
    log.setAttribute("aria-label", t("messagesWith", { name: user.display_name }));
  }

  function fillMeta(entry) {
    const { message, meta } = entry;
    const time = el("time", { datetime: message.created_at, title: formatFullTime(message.created_at) },
      formatTime(message.created_at));
    const parts = [time];
    if (message.from === state.me.id) {
      const mark = message.read_at
        ? t("readAt", { time: formatTime(message.read_at) })
        : t("sent");
      parts.push(el("span", { class: message.read_at ? "read-mark read" : "read-mark" }, mark));
    }
    meta.replaceChildren(...parts);
  }

  function makeItem(message) {
    const mine = message.from === state.me.id;
    const author = mine ? t("fromMe") : (other()?.display_name ?? "");
    const meta = el("p", { class: "message-meta" });
    const item = el(
      "li",
      { class: mine ? "message mine" : "message theirs", "data-id": message.id },
      el("span", { class: "visually-hidden" }, `${author}: `),
      el("p", { class: "message-body" }, message.body),
      meta,
    );
    const entry = { message, item, meta };
    fillMeta(entry);
    return entry;
  }

  // Adds a message in its place (ids grow with time), or updates the one shown.
  function put(message) {
    const known = shown.get(message.id);
    if (known) {
      known.message = { ...known.message, ...message };
      fillMeta(known);
      return;
    }
    const entry = makeItem(message);
    shown.set(message.id, entry);
    let next = null;
    for (let item = list.lastElementChild; item; item = item.previousElementSibling) {
      if (Number(item.dataset.id) < message.id) break;
      next = item;
    }
    list.insertBefore(entry.item, next);
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom() {
    log.scrollTop = log.scrollHeight;
  }

  function showPage(page) {
    for (const message of page.items) put(message);
    cursor = page.next_cursor;
    older.hidden = cursor === null;
    if (shown.size > 0) emptyNote.hidden = true;
    else note("noMessages");
  }

  async function loadOlder() {
    if (loadingOlder || cursor === null || state.openUserId === null) return;
    loadingOlder = true;
    const opened = generation;
    const fromBottom = log.scrollHeight - log.scrollTop;
    try {
      const page = await api.conversation(state.openUserId, { cursor });
      if (opened !== generation) return;
      showPage(page);
      log.scrollTop = log.scrollHeight - fromBottom; // keep the same messages in view
    } catch (error) {
      console.warn("older messages:", api.errorText(error));
    } finally {
      loadingOlder = false;
    }
  }

  // Marks read, in one request, what was sent to me and is on screen.
  async function markRead() {
    if (document.visibilityState !== "visible" || state.openUserId === null) return;
    const userId = state.openUserId;
    const unread = [...shown.values()]
      .map(({ message }) => message)
      .filter((m) => m.to === state.me.id && !m.read_at && !marking.has(m.id));
    if (unread.length === 0) return;
    const ids = unread.map((m) => m.id);
    ids.forEach((id) => marking.add(id));
    try {
      // Older unread messages, not loaded yet, are marked too: shown ones get their mark.
      for (const read of await api.markConversationRead(userId, Math.max(...ids))) {
        if (shown.has(read.id)) put(read);
        onRead(read);
      }
    } catch (error) {
      // The next message, or a return to this tab, tries again.
      console.warn("marking messages read:", api.errorText(error));
    } finally {
      ids.forEach((id) => marking.delete(id));
    }
  }

  function reset() {
    generation += 1;
    shown = new Map();
    cursor = null;
    list.replaceChildren();
    older.hidden = true;
  }

  return {
    // Shows the conversation with state.openUserId from its newest page.
    async open() {
      reset();
      const opened = generation;
      renderHeader();
      log.hidden = false;
      note("loading");
      try {
        const page = await api.conversation(state.openUserId);
        if (opened !== generation) return;
        showPage(page);
        scrollToBottom();
        markRead();
      } catch (error) {
        if (opened === generation) note(null, api.errorText(error));
      }
    },
    close() {
      reset();
      log.hidden = true;
      note("chooseSomeone");
      renderHeader();
    },
    // A message of this conversation, new or changed (read), from the stream or a send.
    show(message) {
      const atBottom = nearBottom();
      put(message);
      emptyNote.hidden = true;
      if (atBottom || message.from === state.me.id) scrollToBottom();
      markRead();
    },
    // A message changed (read): its read mark follows, if it is on screen.
    update(message) {
      if (shown.has(message.id)) put(message);
    },
    renderHeader,
  };
}
