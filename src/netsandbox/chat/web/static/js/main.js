// Start-up, and the page's state: who I am, the users, the messages I have not read, the
// open conversation. The views show the state; this module changes it, from the API's
// answers and from the live events (handleEvent: one switch over the event types).

import * as api from "./api.js";
import { byId } from "./dom.js";
import { connectEvents } from "./events.js";
import { bindLanguageSwitch, t, translatePage } from "./i18n.js";
import { createApiPanel } from "./views/apipanel.js";
import { createComposer } from "./views/composer.js";
import { createConversation } from "./views/conversation.js";
import { createHeader } from "./views/header.js";
import { createSidebar } from "./views/sidebar.js";
import { createSignIn } from "./views/signin.js";
import { createStatusEditor } from "./views/status.js";

const RESTART_DELAY_MS = 3000;
const ANNOUNCED_BODY_LENGTH = 140;

const state = {
  info: null, // GET /api/info: registration, max_message_length...
  me: null, // my user; null when signed out
  users: new Map(), // id -> user, as GET /api/users gives them (with presence)
  unread: new Map(), // user id -> Set of ids of their messages to me not read yet
  openUserId: null, // whose conversation is open
};

const chatView = byId("chat-view");
const loading = byId("loading");
const announcer = byId("announcer");
const peopleList = byId("people");

const header = createHeader({ state, onSignOut: signOut });
const signInView = createSignIn({ onSignedIn: (user) => enterChat(user, { focus: true }) });
const sidebar = createSidebar({ state, onOpen: openConversation });
const conversation = createConversation({ state, onRead: messageRead });
const composer = createComposer({ state, onSent: messageCreated });
const statusEditor = createStatusEditor({ state, onSaved: userChanged });
const apiPanel = createApiPanel({ state });

let stream = null;
let buffered = null; // events that arrive while the state loads, applied once it has

// --- the live events -------------------------------------------------------------------

function handleEvent(event) {
  if (buffered !== null && event.type !== "closed") {
    buffered.push(event);
    return;
  }
  switch (event.type) {
    case "message.created":
      messageCreated(event.data, { live: true });
      break;
    case "message.read":
      messageRead(event.data);
      break;
    case "user.created":
    case "user.status":
      userChanged(event.data);
      break;
    case "user.presence":
      presenceChanged(event.data);
      break;
    case "reset": // we missed too much to replay: fetch the state again
      reload();
      break;
    case "closed":
      streamClosed(event.data.reason);
      break;
    default:
      console.warn(`unknown event type "${event.type}": ignored`, event.data);
  }
}

function messageCreated(message, { live = false } = {}) {
  const mine = message.from === state.me.id;
  const otherId = mine ? message.to : message.from;
  const readingIt = otherId === state.openUserId && document.visibilityState === "visible";
  if (!mine && !message.read_at && !readingIt) addUnread(message);
  if (otherId === state.openUserId) conversation.show(message);
  if (live && !mine) {
    const name = state.users.get(message.from)?.display_name ?? `#${message.from}`;
    const body = Array.from(message.body).slice(0, ANNOUNCED_BODY_LENGTH).join("");
    announcer.textContent = t("newMessage", { name, body });
  }
  sidebar.render();
}

function messageRead(message) {
  if (message.to === state.me.id) state.unread.get(message.from)?.delete(message.id);
  const otherId = message.from === state.me.id ? message.to : message.from;
  if (otherId === state.openUserId) conversation.update(message);
  sidebar.render();
}

function userChanged(user) {
  const merged = { ...state.users.get(user.id), ...user };
  state.users.set(user.id, merged);
  if (user.id === state.me.id) {
    state.me = merged;
    header.render();
    statusEditor.render();
  }
  if (user.id === state.openUserId) {
    conversation.renderHeader();
    composer.renderLabel();
  }
  sidebar.render();
}

function presenceChanged({ id, presence }) {
  if (state.users.has(id)) userChanged({ id, presence });
}

function streamClosed(reason) {
  if (reason === "too_many_streams") {
    // Reconnecting would close another of my tabs in turn: this one stops.
    stream?.close();
    header.setConnection("tooManyTabs");
  } else if (reason === "logged_out") {
    leaveChat("sessionEnded"); // signed out elsewhere (another tab)
  }
  // Otherwise (shutdown, too slow) EventSource reconnects by itself with Last-Event-ID.
}

async function streamState(what) {
  if (what === "open") header.setConnection(null);
  else if (what === "reconnecting") header.setConnection("reconnecting");
  else if (what === "failed" && state.me !== null) {
    header.setConnection("reconnecting");
    const failed = stream;
    try {
      await api.getSession();
    } catch (error) {
      if (error.status === 401) {
        leaveChat("sessionEnded");
        return;
      }
    }
    // Still signed in: the server refused the stream for a while (a restart?). A new
    // EventSource has no Last-Event-ID, so the state is loaded again once it is open.
    setTimeout(async () => {
      if (state.me === null || stream !== failed) return;
      buffered = [];
      await openStream();
      await reload();
    }, RESTART_DELAY_MS);
  }
}

// Opens the stream; resolves once the server answered (it subscribed us: from then on
// nothing is missed) or failed.
function openStream() {
  return new Promise((resolve) => {
    stream = connectEvents({
      onEvent: handleEvent,
      onState(what) {
        streamState(what);
        resolve();
      },
    });
  });
}

// --- loading the state -------------------------------------------------------------------

function addUnread(message) {
  if (!state.unread.has(message.from)) state.unread.set(message.from, new Set());
  state.unread.get(message.from).add(message.id);
}

// Users and unread messages from the API; events received meanwhile are applied after.
async function reload() {
  buffered = buffered ?? [];
  peopleList.setAttribute("aria-busy", "true"); // screen readers wait for the whole list
  try {
    const [users, unread] = await Promise.all([api.allUsers(), api.unreadMessages()]);
    if (state.me === null) return;
    state.users = new Map(users.map((user) => [user.id, user]));
    state.me = state.users.get(state.me.id) ?? state.me;
    state.unread = new Map();
    for (const message of unread) addUnread(message);
    header.setConnection(null);
  } catch (error) {
    header.setConnection("loadFailed", { reason: api.errorText(error) });
  } finally {
    const pending = buffered ?? [];
    buffered = null;
    if (state.me !== null) pending.forEach(handleEvent);
    peopleList.removeAttribute("aria-busy");
  }
  if (state.me === null) return;
  header.render();
  statusEditor.render();
  apiPanel.render();
  sidebar.render();
  if (state.openUserId !== null) conversation.open();
}

// --- screens -----------------------------------------------------------------------------

async function enterChat(user, { focus }) {
  state.me = user;
  state.users = new Map([[user.id, user]]);
  loading.hidden = true;
  signInView.hide();
  chatView.hidden = false;
  chatView.dataset.pane = "people";
  conversation.close();
  header.render();
  statusEditor.render();
  apiPanel.render();
  if (focus) byId("people-search").focus();
  buffered = [];
  await openStream();
  await reload();
}

function leaveChat(reasonKey = null) {
  if (state.me === null) return; // several requests may find the session over at once
  stream?.close();
  stream = null;
  buffered = null;
  api.forgetSession();
  Object.assign(state, { me: null, users: new Map(), unread: new Map(), openUserId: null });
  conversation.close();
  composer.clear();
  composer.close();
  sidebar.clear();
  statusEditor.clear();
  apiPanel.clear(); // the API token shown must not stay on screen
  header.setConnection(null);
  header.render();
  chatView.hidden = true;
  signInView.show(state.info, reasonKey ? t(reasonKey) : "");
}

async function signOut() {
  stream?.close(); // its "closed: logged_out" would say the session ended by itself
  try {
    await api.signOut();
  } catch (error) {
    if (error.status !== 401) {
      buffered = [];
      await openStream(); // still signed in: stay up to date
      await reload();
      header.setConnection("signOutFailed", { reason: api.errorText(error) });
      return;
    }
  }
  leaveChat();
}

function openConversation(userId) {
  state.openUserId = userId;
  chatView.dataset.pane = "conversation"; // on a small screen, the list gives way
  sidebar.render();
  conversation.open();
  composer.open();
}

function closeConversation() {
  const left = state.openUserId;
  state.openUserId = null;
  chatView.dataset.pane = "people";
  conversation.close();
  composer.close();
  sidebar.render();
  sidebar.focusPerson(left);
}

async function start() {
  translatePage();
  bindLanguageSwitch(byId("language"));
  byId("back").addEventListener("click", closeConversation);
  api.onUnauthorized(() => leaveChat("sessionEnded"));
  try {
    state.info = await api.info();
  } catch (error) {
    loading.textContent = api.errorText(error);
    return;
  }
  try {
    const session = await api.getSession();
    await enterChat(session.user, { focus: false });
  } catch (error) {
    if (error.status !== 401) {
      loading.textContent = api.errorText(error);
      return;
    }
    loading.hidden = true;
    signInView.show(state.info);
  }
}

start();
