// The signed-out screen: sign in, and create an account when the server allows it
// (GET /api/info says registration "open", or "code" with a join code from the teacher).

import * as api from "../api.js";
import { byId } from "../dom.js";
import { t } from "../i18n.js";

export function createSignIn({ onSignedIn }) {
  const view = byId("signin-view");
  const form = byId("signin-form");
  const error = byId("signin-error");
  const register = byId("register");
  const registerForm = byId("register-form");
  const registerError = byId("register-error");
  const joinCodeField = byId("join-code-field");

  async function submit(button, errorElement, work) {
    errorElement.textContent = "";
    button.disabled = true;
    try {
      const session = await work();
      onSignedIn(session.user);
    } catch (failure) {
      errorElement.textContent = api.errorText(failure);
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username || !password) {
      error.textContent = t("fillBoth");
      (username ? form.elements.password : form.elements.username).focus();
      return;
    }
    submit(event.submitter ?? form.querySelector("button"), error, () =>
      api.signIn(username, password),
    );
  });

  registerForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = registerForm.elements;
    const account = {
      username: fields.username.value.trim(),
      password: fields.password.value,
    };
    if (fields.display_name.value.trim()) account.display_name = fields.display_name.value.trim();
    if (!joinCodeField.hidden) account.join_code = fields.join_code.value.trim();
    submit(event.submitter ?? registerForm.querySelector("button"), registerError, async () => {
      await api.register(account);
      return api.signIn(account.username, account.password);
    });
  });

  return {
    // Shows the screen; `message` (optional) says why, for example a session that ended.
    show(info, message = "") {
      const registration = info?.registration ?? "closed";
      register.hidden = registration === "closed";
      joinCodeField.hidden = registration !== "code";
      form.reset();
      registerForm.reset();
      error.textContent = message;
      registerError.textContent = "";
      view.hidden = false;
      form.elements.username.focus();
    },
    hide() {
      view.hidden = true;
      form.reset();
      registerForm.reset();
      error.textContent = "";
    },
  };
}
