// My status: a one-line text everyone sees next to my name (PATCH /api/users/me).

import * as api from "../api.js";
import { byId } from "../dom.js";
import { t } from "../i18n.js";

export function createStatusEditor({ state, onSaved }) {
  const form = byId("status-form");
  const input = byId("status-input");
  const message = byId("status-message");
  const button = form.querySelector('button[type="submit"]');
  let editing = false; // typed but not saved: an update from elsewhere must not erase it

  input.addEventListener("input", () => {
    editing = true;
    message.textContent = "";
    message.classList.remove("error");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const user = await api.setStatus(input.value.trim());
      editing = false;
      onSaved(user);
      message.textContent = t("statusSaved");
    } catch (error) {
      message.textContent = api.errorText(error);
      message.classList.add("error");
    } finally {
      button.disabled = false;
    }
  });

  return {
    // Shows my current status (unless I am editing it).
    render() {
      const limit = state.info?.max_status_length;
      if (limit) input.maxLength = limit;
      if (!editing) input.value = state.me?.status ?? "";
    },
    clear() {
      editing = false;
      input.value = "";
      message.textContent = "";
    },
  };
}
