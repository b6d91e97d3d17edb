// The top bar: who is signed in, the state of the live stream, and "Sign out".

import { byId } from "../dom.js";
import { onLanguageChange, t } from "../i18n.js";

export function createHeader({ state, onSignOut }) {
  const signedInAs = byId("signed-in-as");
  const signOut = byId("sign-out");
  const connection = byId("connection");
  let connectionKey = null; // what the connection line says (an i18n key), or nothing
  let connectionParams = {};

  signOut.addEventListener("click", async () => {
    signOut.disabled = true;
    try {
      await onSignOut();
    } finally {
      signOut.disabled = false;
    }
  });

  function render() {
    const me = state.me;
    signedInAs.hidden = me === null;
    signOut.hidden = me === null;
    signedInAs.textContent = me ? t("signedInAs", { name: me.display_name }) : "";
    connection.hidden = connectionKey === null;
    connection.textContent = connectionKey ? t(connectionKey, connectionParams) : "";
  }

  onLanguageChange(render);

  return {
    render,
    // null while all is well (nothing to say), else a key of i18n.js: "reconnecting"...
    setConnection(key, params = {}) {
      connectionKey = key;
      connectionParams = params;
      render();
    },
  };
}
