"""contacts (TCP 3001): a contact book spoken as one JSON command per connection."""

DEFAULT_PORT = 3001
DESCRIPTION = "contact book, one JSON command per connection"
