// The live stream: GET /api/events, read with the browser's EventSource.
//
// EventSource sends the session cookie by itself (it cannot send an Authorization header,
// which is why the page signs in with a cookie) and reconnects by itself after a drop,
// sending Last-Event-ID so that the server first replays what this page missed.
// Every event has a type (the SSE "event:" line) and JSON data; all of them go to one
// handler, which decides what each type means (see handleEvent in main.js).

// The types the server sends (docs/events.md). EventSource delivers a named event only to
// a listener for that name, so each is listened to; events without a name arrive as
// "message", which is not one of ours: the handler refuses it.
export const EVENT_TYPES = [
  "message.created",
  "message.read",
  "user.created",
  "user.status",
  "user.presence",
  "reset",
  "closed",
];

// Opens the stream. onEvent({type, id, data}) for each event; onState("open" |
// "reconnecting" | "failed"). "failed" means EventSource gave up (the server answered with
// an error, such as 401 once the session is over): it will not retry by itself.
export function connectEvents({ onEvent, onState }) {
  const source = new EventSource("/api/events");

  function deliver(type, message) {
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      console.warn(`event ${type}: data is not JSON, ignored`, message.data);
      return;
    }
    onEvent({ type, id: message.lastEventId, data });
  }

  for (const type of [...EVENT_TYPES, "message"]) {
    source.addEventListener(type, (message) => deliver(type, message));
  }
  source.addEventListener("open", () => onState("open"));
  source.addEventListener("error", () => {
    onState(source.readyState === EventSource.CLOSED ? "failed" : "reconnecting");
  });

  return {
    close() {
      source.close();
    },
  };
}
