// Every request the page makes to the chat API, in one place.
//
// The page is signed in with a session cookie that the server sets (HttpOnly: no script can
// read it, the browser sends it with every request to this server). Each request that
// changes something (POST, PATCH, DELETE) also carries the CSRF token that the server gave
// with the session: another site can make a browser send the cookie, but it cannot read
// this token, so the server refuses its forged requests. Students' scripts use a bearer
// token instead (see views/apipanel.js): they need neither.

import { t } from "./i18n.js";

const PAGE_SIZE = 200; // the largest page the API gives
const MAX_UNREAD_PAGES = 5;

let csrfToken = null;
let unauthorizedHandler = () => {};

// A request the server refused (status and the error's code and message, as the API sends
// them) or could not make (status 0).
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || `${status} ${code}`);
    this.status = status;
    this.code = code;
    this.serverMessage = message;
  }
}

// The sentence to show for an error: the server's own (it says what to fix), else ours.
export function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("offlineError");
    return error.serverMessage || t("serverError", { status: error.status });
  }
  return String(error);
}

// Called when a request of a signed-in page gets a 401: the session is over.
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

async function request(method, path, { json, headers = {}, signedIn = true } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  if (method !== "GET" && csrfToken !== null) init.headers["X-CSRF-Token"] = csrfToken;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network_error", null);
  }
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = body?.error ?? {};
    if (response.status === 401 && signedIn) unauthorizedHandler();
    throw new ApiError(response.status, error.code ?? "http_error", error.message ?? null);
  }
  return body;
}

// --- the server and the session ------------------------------------------------------

// {registration: "open" | "code" | "closed", max_message_length, max_status_length, ...}
export function info() {
  return request("GET", "/api/info", { signedIn: false });
}

function keepCsrf(session) {
  csrfToken = session.csrf_token;
  return session;
}

// The current session ({user, csrf_token}); a 401 ApiError when signed out.
export async function getSession() {
  return keepCsrf(await request("GET", "/api/session", { signedIn: false }));
}

export async function signIn(username, password) {
  const json = { username, password };
  return keepCsrf(await request("POST", "/api/session", { json, signedIn: false }));
}

export async function signOut() {
  try {
    await request("DELETE", "/api/session", { signedIn: false });
  } finally {
    csrfToken = null;
  }
}

export function forgetSession() {
  csrfToken = null;
}

// {username, password, display_name?, join_code?}; then sign in as usual.
export function register(account) {
  return request("POST", "/api/auth/register", { json: account, signedIn: false });
}

// A bearer token for the user's own programs, separate from this page's session.
export function createToken() {
  return request("POST", "/api/tokens");
}

// --- users -------------------------------------------------------------------------------

// Every user, following the pages (next_cursor) to the end.
export async function allUsers() {
  const users = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: PAGE_SIZE });
    if (cursor !== null) query.set("cursor", cursor);
    const page = await request("GET", `/api/users?${query}`);
    users.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return users;
}

export function setStatus(status) {
  return request("PATCH", "/api/users/me", { json: { status } });
}

// --- messages ----------------------------------------------------------------------------

// The messages sent to me that I have not read (the first thousand: enough for the badges).
export async function unreadMessages() {
  const messages = [];
  let cursor = null;
  for (let page = 0; page < MAX_UNREAD_PAGES; page += 1) {
    const query = new URLSearchParams({ unread: "true", limit: PAGE_SIZE });
    if (cursor !== null) query.set("cursor", cursor);
    const result = await request("GET", `/api/messages?${query}`);
    messages.push(...result.items);
    cursor = result.next_cursor;
    if (cursor === null) break;
  }
  return messages;
}

// One page of my conversation with a user, newest first: {items, next_cursor}.
export function conversation(userId, { cursor = null, limit = 50 } = {}) {
  const query = new URLSearchParams({ limit });
  if (cursor !== null) query.set("cursor", cursor);
  return request("GET", `/api/conversations/${userId}?${query}`);
}

// Sends once even if retried: the Idempotency-Key makes the server keep the first copy.
export function sendMessage(to, body) {
  return request("POST", "/api/messages", {
    json: { to, body },
    headers: { "Idempotency-Key": randomKey() },
  });
}

// Marks read, in one request, what this user sent me up to the newest message on screen;
// the answer lists the messages it changed.
export async function markConversationRead(userId, upTo) {
  const answer = await request("POST", `/api/conversations/${userId}/read`, {
    json: { up_to: upTo },
  });
  return answer.items;
}

// crypto.randomUUID() exists only on https and localhost pages; a class server is often
// reached at http://192.168.x.y, so the key is made from getRandomValues (there everywhere).
function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
