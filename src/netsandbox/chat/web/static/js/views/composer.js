// The message box: Enter sends, Shift+Enter starts a new line; a counter against the
// server's limit; when the server refuses a message (too fast: 429, invalid: 422...), its
// explanation is shown and the text stays, to fix or send again.

import * as api from "../api.js";
import { byId } from "../dom.js";
import { onLanguageChange, t } from "../i18n.js";

export function createComposer({ state, onSent }) {
  const form = byId("composer");
  const text = byId("composer-text");
  const label = form.querySelector(`label[for="composer-text"]`);
  const counter = byId("composer-count");
  const error = byId("composer-error");
  const button = form.querySelector('button[type="submit"]');
  const drafts = new Map(); // user id -> text not sent yet

  function maxLength() {
    return state.info?.max_message_length ?? 2000;
  }

  // The server counts characters (code points); "😀".length is 2 in JavaScript.
  function length() {
    return Array.from(text.value).length;
  }

  function renderCount() {
    const count = length();
    counter.textContent = t("count", { count, max: maxLength() });
    counter.classList.toggle("over", count > maxLength());
  }

  function renderLabel() {
    const user = state.users.get(state.openUserId);
    label.textContent = user ? t("messageTo", { name: user.display_name }) : t("message");
  }

  text.addEventListener("input", () => {
    error.textContent = "";
    drafts.set(state.openUserId, text.value);
    renderCount();
  });

  text.addEventListener("keydown", (event) => {
    // isComposing: Enter that ends an input method's composition (Chinese, Japanese...)
    // picks a word; it must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const to = state.openUserId;
    const body = text.value;
    if (!body.trim()) {
      error.textContent = t("empty");
      return;
    }
    if (length() > maxLength()) {
      error.textContent = t("tooLong", { count: length() - maxLength() });
      return;
    }
    error.textContent = "";
    button.disabled = true; // the text box keeps the focus: typing goes on
    try {
      const message = await api.sendMessage(to, body);
      drafts.delete(to);
      if (state.openUserId === to) {
        text.value = "";
        renderCount();
      }
      onSent(message);
    } catch (failure) {
      if (state.openUserId === to) error.textContent = api.errorText(failure);
    } finally {
      button.disabled = false;
    }
  });

  onLanguageChange(() => {
    renderLabel();
    renderCount();
  });

  return {
    // Shows the box for state.openUserId, with what was typed for them before.
    open({ focus = true } = {}) {
      form.hidden = false;
      text.value = drafts.get(state.openUserId) ?? "";
      error.textContent = "";
      renderLabel();
      renderCount();
      if (focus) text.focus();
    },
    close() {
      form.hidden = true;
      error.textContent = "";
    },
    renderLabel,
    clear() {
      drafts.clear();
      text.value = "";
    },
  };
}
