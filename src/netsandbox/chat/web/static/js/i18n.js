// The interface's words in English and French, and the language switch.
//
// The language is the one chosen with the switch (kept in localStorage), else the
// browser's (navigator.language), else English. Static text in index.html carries
// data-i18n="key" (its text) or data-i18n-placeholder; views call
// t("key", {name: ...}) for the text they build, and re-render on onLanguageChange.

const STORAGE_KEY = "netsandbox.chat.language";
const LANGUAGES = ["en", "fr"];

const STRINGS = {
  en: {
    language: "Language",
    loading: "Loading…",
    signInTitle: "Sign in",
    signIn: "Sign in",
    signOut: "Sign out",
    signedInAs: "Signed in as {name}",
    username: "Username",
    password: "Password",
    usernameHint: "2 to 32 characters: a-z, 0-9, _ . -",
    passwordHint: "At least 8 characters.",
    displayNameOptional: "Display name (optional)",
    joinCode: "Join code",
    registerTitle: "Create an account",
    register: "Create my account",
    fillBoth: "Enter your username and password.",
    sessionEnded: "Your session ended: sign in again.",
    myStatus: "My status",
    save: "Save",
    statusSaved: "Status saved.",
    people: "People",
    searchPeople: "Search people",
    nobodyFound: "Nobody matches.",
    online: "online",
    offline: "offline",
    unread: "{count} unread",
    you: "you",
    useTheApi: "Use the API",
    myId: "My user id:",
    apiExplain:
      "A token lets your own program act as you. It is separate from this page: " +
      "signing out does not revoke it.",
    createToken: "Create an API token",
    pythonSnippet: "Python, with requests:",
    copy: "Copy",
    copied: "Copied.",
    copyByHand: "Select the text and copy it by hand.",
    back: "Back",
    noConversation: "No conversation open",
    chooseSomeone: "Choose someone in the list to talk to.",
    conversationWith: "Conversation with {name}",
    messages: "Messages",
    messagesWith: "Messages with {name}",
    loadOlder: "Load older messages",
    noMessages: "No messages yet: say hello!",
    fromMe: "Me",
    sent: "Sent",
    readAt: "Read {time}",
    message: "Message",
    messageTo: "Message to {name}",
    writeMessage: "Write a message",
    send: "Send",
    composerHelp: "Enter sends, Shift+Enter starts a new line.",
    count: "{count} / {max} characters",
    tooLong: {
      one: "This message is {count} character too long.",
      other: "This message is {count} characters too long.",
    },
    empty: "Write something first.",
    newMessage: "New message from {name}: {body}",
    live: "Live",
    reconnecting: "Reconnecting…",
    tooManyTabs: "Open in too many tabs: this one stopped updating. Reload it to resume.",
    offlineError: "The server cannot be reached. Check the connection and try again.",
    serverError: "The server refused ({status}).",
    loadFailed: "Could not load the latest state: {reason}",
    signOutFailed: "Not signed out: {reason}",
  },
  fr: {
    language: "Langue",
    loading: "Chargement…",
    signInTitle: "Connexion",
    signIn: "Se connecter",
    signOut: "Se déconnecter",
    signedInAs: "Connecté·e : {name}",
    username: "Nom d’utilisateur",
    password: "Mot de passe",
    usernameHint: "2 à 32 caractères : a-z, 0-9, _ . -",
    passwordHint: "Au moins 8 caractères.",
    displayNameOptional: "Nom affiché (facultatif)",
    joinCode: "Code d’inscription",
    registerTitle: "Créer un compte",
    register: "Créer mon compte",
    fillBoth: "Saisissez votre nom d’utilisateur et votre mot de passe.",
    sessionEnded: "Votre session a pris fin : reconnectez-vous.",
    myStatus: "Mon statut",
    save: "Enregistrer",
    statusSaved: "Statut enregistré.",
    people: "Personnes",
    searchPeople: "Chercher une personne",
    nobodyFound: "Personne ne correspond.",
    online: "en ligne",
    offline: "hors ligne",
    unread: { one: "{count} non lu", other: "{count} non lus" },
    you: "vous",
    useTheApi: "Utiliser l’API",
    myId: "Mon identifiant :",
    apiExplain:
      "Un jeton permet à votre propre programme d’agir en votre nom. Il est distinct de " +
      "cette page : se déconnecter ne le révoque pas.",
    createToken: "Créer un jeton d’API",
    pythonSnippet: "Python, avec requests :",
    copy: "Copier",
    copied: "Copié.",
    copyByHand: "Sélectionnez le texte et copiez-le à la main.",
    back: "Retour",
    noConversation: "Aucune conversation ouverte",
    chooseSomeone: "Choisissez quelqu’un dans la liste pour discuter.",
    conversationWith: "Conversation avec {name}",
    messages: "Messages",
    messagesWith: "Messages avec {name}",
    loadOlder: "Charger les messages plus anciens",
    noMessages: "Pas encore de message : dites bonjour !",
    fromMe: "Moi",
    sent: "Envoyé",
    readAt: "Lu {time}",
    message: "Message",
    messageTo: "Message à {name}",
    writeMessage: "Écrire un message",
    send: "Envoyer",
    composerHelp: "Entrée envoie, Maj+Entrée passe à la ligne.",
    count: "{count} / {max} caractères",
    tooLong: {
      one: "Ce message a {count} caractère de trop.",
      other: "Ce message a {count} caractères de trop.",
    },
    empty: "Écrivez d’abord quelque chose.",
    newMessage: "Nouveau message de {name} : {body}",
    live: "En direct",
    reconnecting: "Reconnexion…",
    tooManyTabs:
      "Ouvert dans trop d’onglets : celui-ci ne se met plus à jour. Rechargez-le pour reprendre.",
    offlineError: "Le serveur est injoignable. Vérifiez la connexion et réessayez.",
    serverError: "Le serveur a refusé ({status}).",
    loadFailed: "Impossible de charger l’état actuel : {reason}",
    signOutFailed: "Déconnexion impossible : {reason}",
  },
};

const listeners = [];
let current = initialLanguage();

function initialLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled: the browser's language still applies.
  }
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.language || "en").slice(0, 2).toLowerCase();
  return LANGUAGES.includes(browser) ? browser : "en";
}

export function language() {
  return current;
}

// The text for `key` in the current language, with {name} placeholders filled in. A text
// that depends on a number has a form per plural category ("one", "other"; see
// Intl.PluralRules), chosen by params.count.
export function t(key, params = {}) {
  let text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  if (typeof text === "object") {
    text = text[new Intl.PluralRules(current).select(params.count)] ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

export function setLanguage(next) {
  if (!LANGUAGES.includes(next) || next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but switched for this page.
  }
  translatePage();
  for (const listener of listeners) listener(next);
}

// Puts the current language's words into the static page (the data-i18n* attributes).
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("[data-i18n-placeholder]")) {
    element.placeholder = t(element.dataset.i18nPlaceholder);
  }
}

// Wires the <select> of languages: shows the current one and switches on change.
export function bindLanguageSwitch(select) {
  select.value = current;
  select.addEventListener("change", () => setLanguage(select.value));
}

// Dates and times in the browser's own variant of the interface's language (en-GB writes
// 14:05, en-US 2:05 PM), else in the interface's language.
function dateLocale() {
  const browser = navigator.language || current;
  return browser.toLowerCase().startsWith(current) ? browser : current;
}

// "14:05" today, "3 Mar 14:05" another day.
export function formatTime(iso) {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const options = today
    ? { hour: "numeric", minute: "2-digit" }
    : { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" };
  return new Intl.DateTimeFormat(dateLocale(), options).format(date);
}

export function formatFullTime(iso) {
  return new Intl.DateTimeFormat(dateLocale(), { dateStyle: "full", timeStyle: "medium" }).format(
    new Date(iso),
  );
}
