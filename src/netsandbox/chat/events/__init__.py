"""The live event stream: events, the broker that fans them out, presence, the SSE stream.

``model`` says what an event is and how it is written on the wire; ``broker`` delivers
events to subscribers (chosen by URL; in memory for one process); ``presence`` tracks who
is online; ``publisher`` turns the service's changes into events; ``stream`` writes one
subscriber's events as ``text/event-stream``.
"""
