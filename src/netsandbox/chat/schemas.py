"""The JSON the API accepts and returns, with its rules (pydantic v2).

Request models forbid unknown fields (pydantic would otherwise drop them silently and a
student's typo would look like success); lengths count characters (code points).
Response models document the output; the routes build it directly (see ``store.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from netsandbox.chat.models import BODY_MAX, DISPLAY_NAME_MAX, ID_MAX, STATUS_MAX, USERNAME_MAX

USERNAME_PATTERN = r"^[a-z0-9_.-]{2,32}$"
PASSWORD_MIN = 8
PASSWORD_MAX = 128
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# Control characters (C0, DEL, C1) other than tab and line breaks; NUL cannot be stored.
_CONTROL = {c for c in range(32) if c not in (9, 10, 13)} | set(range(127, 160))
_CONTROL_TABLE = dict.fromkeys(_CONTROL)

# The same rules as patterns in the OpenAPI document, for clients and fuzzers that read it.
_LINE_CHAR = r"[^\u0000-\u001f\u007f-\u009f]"
_TEXT_CHAR = r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"
_VISIBLE_CHAR = r"[^\s\u0000-\u001f\u007f-\u009f]"
LINE_PATTERN = f"^{_LINE_CHAR}*$"
NON_BLANK_LINE_PATTERN = f"^{_LINE_CHAR}*{_VISIBLE_CHAR}{_LINE_CHAR}*$"
NON_BLANK_TEXT_PATTERN = f"^{_TEXT_CHAR}*{_VISIBLE_CHAR}{_TEXT_CHAR}*$"


def _storable(text: str, *, multiline: bool) -> str:
    """Refuse what no database stores faithfully: control characters and lone surrogates."""
    if text.translate(_CONTROL_TABLE) != text:
        raise PydanticCustomError("control_character", "must not contain control characters")
    if not multiline and ("\n" in text or "\r" in text or "\t" in text):
        raise PydanticCustomError("single_line", "must be a single line (no line breaks or tabs)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "invalid_unicode", "must be valid Unicode text (lone surrogate found)"
        ) from None
    return text


def _line(text: str) -> str:
    return _storable(text, multiline=False)


def _not_blank(text: str) -> str:
    if not text.replace("\ufeff", "").strip():
        raise PydanticCustomError("blank", "must not be blank (only spaces)")
    return text


def _message_body(text: str) -> str:
    return _not_blank(_storable(text, multiline=True))


def _json_integer(value: Any) -> Any:
    """A JSON integer (1 or 1.0, as JSON Schema counts them); not true, not "1"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


Id = Annotated[int, Field(ge=1, le=ID_MAX, examples=[2]), BeforeValidator(_json_integer)]
Username = Annotated[
    str,
    Field(
        pattern=USERNAME_PATTERN,
        min_length=2,
        max_length=USERNAME_MAX,
        description="2 to 32 characters: lowercase letters, digits, '_', '.', '-'.",
        examples=["ada"],
    ),
]
DisplayName = Annotated[
    str,
    Field(min_length=1, max_length=DISPLAY_NAME_MAX, examples=["Ada Lovelace"],
          json_schema_extra={"pattern": NON_BLANK_LINE_PATTERN}),
    AfterValidator(_line),
    AfterValidator(_not_blank),
]
StatusText = Annotated[
    str,
    Field(max_length=STATUS_MAX, description="Up to 140 characters; \"\" clears it.",
          examples=["Working on the exercise"], json_schema_extra={"pattern": LINE_PATTERN}),
    AfterValidator(_line),
]  # fmt: skip
MessageBody = Annotated[
    str,
    Field(min_length=1, max_length=BODY_MAX, examples=["Hello! Did step 3 work for you?"],
          description="1 to 2000 characters, not only spaces; line breaks allowed.",
          json_schema_extra={"pattern": NON_BLANK_TEXT_PATTERN}),
    AfterValidator(_message_body),
]
Password = Annotated[
    str,
    Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX, examples=["correct-horse-battery"],
          json_schema_extra={"pattern": LINE_PATTERN}),
    AfterValidator(lambda text: _storable(text, multiline=False)),
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


READ_ONLY_USER_FIELDS = ("id", "username", "role", "created_at", "last_seen_at", "presence")


class UserPatch(StrictModel):
    """What a user may change about themself: their status and display name."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "Working on the exercise"}], "minProperties": 1},
    )

    status: StatusText = None  # type: ignore[assignment]
    display_name: DisplayName = None  # type: ignore[assignment]
    # Read-only fields are named so that sending one says why it is refused.
    id: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    username: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    role: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    created_at: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    last_seen_at: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    presence: SkipJsonSchema[Any] = Field(default=None, exclude=True)

    @field_validator(*READ_ONLY_USER_FIELDS, mode="before")
    @classmethod
    def _read_only(cls, value: Any, info: Any) -> Any:
        raise PydanticCustomError(
            "read_only",
            "is read-only: only status and display_name can be changed",
        )

    def changes(self) -> dict[str, str]:
        """The fields actually sent."""
        return {name: getattr(self, name) for name in ("status", "display_name")
                if name in self.model_fields_set}  # fmt: skip


class MessageCreate(StrictModel):
    """A message to send; the sender is always the user whose token is used."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"to": 2, "body": "Hello!"}]}
    )

    to: Id = Field(description="The recipient's user id.")
    body: MessageBody


class ConversationRead(StrictModel):
    """Which of a conversation's messages to mark read: all those up to the newest one shown."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"up_to": 42}]})

    up_to: Id | None = Field(
        None,
        description="The id of the newest message you have shown; later ones stay unread. "
        "Leave it out to mark every message read.",
    )


class MarkedRead(BaseModel):
    items: list[MessageOut] = Field(
        description="The messages this marked read (oldest first); the others already were."
    )


class RegisterRequest(StrictModel):
    """A new account, when the server allows self-registration."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"username": "ada", "password": "correct-horse-battery",
                          "display_name": "Ada Lovelace"}]
        },
    )  # fmt: skip

    username: Username
    password: Password
    display_name: DisplayName | None = None
    join_code: Annotated[str, Field(max_length=200, description="Needed when the teacher "
                                    "set a join code.")] | None = None  # fmt: skip


# --- responses (documentation; the routes serialize rows directly) ----------------------


class UserOut(BaseModel):
    id: int = Field(examples=[1])
    username: str = Field(examples=["ada"])
    display_name: str = Field(examples=["Ada Lovelace"])
    status: str = Field(examples=["Working on the exercise"])
    role: Literal["student", "teacher"]
    created_at: datetime = Field(description="ISO 8601, UTC.")
    last_seen_at: datetime | None = Field(description="Last request made, to the minute.")
    presence: Literal["online", "offline"] = Field(
        description="online while the user has an event stream open or made a request in "
        "the last seconds (see GET /api/events)."
    )


class UserPage(BaseModel):
    items: list[UserOut]
    next_cursor: int | None = Field(
        description="Pass it as ?cursor= to get the next page; null on the last page."
    )


class MessageOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: int = Field(examples=[42])
    sender: int = Field(alias="from", description="The sender's user id.", examples=[1])
    to: int = Field(description="The recipient's user id.", examples=[2])
    body: str = Field(examples=["Hello!"])
    created_at: datetime = Field(description="ISO 8601, UTC.")
    read_at: datetime | None = Field(description="When the recipient marked it read.")


class MessagePage(BaseModel):
    items: list[MessageOut]
    next_cursor: int | None = Field(
        description="Pass it as ?cursor= to get older messages; null on the last page."
    )


class ConversationOut(BaseModel):
    user: UserOut = Field(description="The other person.")
    last_message: MessageOut
    unread_count: int = Field(description="Messages from them I have not marked read.")


class ConversationPage(BaseModel):
    items: list[ConversationOut]
    next_cursor: int | None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class SessionOut(BaseModel):
    user: UserOut = Field(description="The signed-in user, as GET /api/users/me returns it.")
    csrf_token: str = Field(
        description="Send it as the X-CSRF-Token header with every POST, PUT, PATCH and "
        "DELETE made with the session cookie."
    )


class InfoOut(BaseModel):
    service: Literal["netsandbox chat"] = "netsandbox chat"
    version: str = Field(examples=["0.1.0"])
    registration: Literal["open", "code", "closed"] = Field(
        description="open: anyone may register; code: registration needs the teacher's join "
        "code; closed: the teacher creates the accounts."
    )
    max_message_length: int = Field(examples=[BODY_MAX])
    max_status_length: int = Field(examples=[STATUS_MAX])
    max_display_name_length: int = Field(examples=[DISPLAY_NAME_MAX])


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    database: str = Field(examples=["sqlite"])
