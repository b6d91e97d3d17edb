// "Use the API": my id, and on request a token of its own (POST /api/tokens) in a Python
// snippet ready to copy, for the exercise. The page's own session stays in its HttpOnly
// cookie, out of reach of scripts: the token shown here is a separate one, which the
// student's program revokes with DELETE /api/auth/token when done.

import * as api from "../api.js";
import { byId } from "../dom.js";
import { t } from "../i18n.js";

export function createApiPanel({ state }) {
  const myId = byId("api-my-id");
  const button = byId("api-token-button");
  const error = byId("api-error");
  const box = byId("api-snippet-box");
  const snippet = byId("api-snippet");
  const copy = byId("api-copy");
  const copied = byId("api-copied");

  button.addEventListener("click", async () => {
    error.textContent = "";
    button.disabled = true;
    try {
      const { access_token: token } = await api.createToken();
      snippet.value = pythonSnippet(location.origin, token);
      box.hidden = false;
      copied.textContent = "";
      snippet.focus();
      snippet.select();
    } catch (failure) {
      error.textContent = api.errorText(failure);
    } finally {
      button.disabled = false;
    }
  });

  copy.addEventListener("click", async () => {
    snippet.select();
    try {
      // The clipboard API needs a secure page (https or localhost).
      await navigator.clipboard.writeText(snippet.value);
      copied.textContent = t("copied");
    } catch {
      copied.textContent = t("copyByHand");
    }
  });

  return {
    render() {
      myId.textContent = String(state.me?.id ?? "");
    },
    // Forgets the token shown (on sign-out, so the next person at this screen cannot see it).
    clear() {
      snippet.value = "";
      box.hidden = true;
      error.textContent = "";
      copied.textContent = "";
      byId("api-panel").open = false;
    },
  };
}

// Python source that uses `token`; JSON.stringify quotes text the way Python reads it.
function pythonSnippet(base, token) {
  return [
    "import requests",
    "",
    `BASE = ${JSON.stringify(base)}`,
    `HEADERS = {"Authorization": "Bearer " + ${JSON.stringify(token)}}`,
    "",
    'me = requests.get(f"{BASE}/api/users/me", headers=HEADERS).json()',
    'print("I am", me["username"], "with id", me["id"])',
    "",
    'inbox = requests.get(f"{BASE}/api/messages", params={"unread": "true"}, headers=HEADERS)',
    'for message in inbox.json()["items"]:',
    '    print(message["from"], message["body"])',
    "",
  ].join("\n");
}
