"""Wire models of the ILS endpoint: `ProspectCreate` in, `ProspectCreated` out.

Every field is validated by a plain function so that the rules (and their messages) are ours,
not a coercion library's: booleans are not numbers, numbers are not strings, and each failure
maps to one message per field in `FIELD_RULES`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from ils_intake.ids import canonical_uuid
from ils_intake.prospects import normalize

NAME_MAX, UNIT_MAX, MESSAGE_MAX = 100, 32, 5000

FIELD_RULES: dict[str, str] = {
    "propertyId": "must be a UUID",
    "firstName": "must be text of 1-100 characters without control characters",
    "lastName": "must be text of 1-100 characters without control characters",
    "phoneNumber": "must be a phone number: 10 digits (US/Canada) or + and the country code",
    "emailAddress": "must be a valid email address of at most 254 characters",
    "nBeds": "must be a whole number from 0 to 15",
    "nBaths": "must be a number from 0 to 15 in steps of 0.5",
    "moveInDate": "must be a calendar date YYYY-MM-DD in the years 2000-2100",
    "preferredUnit": "must be text of 1-32 characters without control characters",
    "preferredFloorPlanId": "must be a UUID",
    "message": "must be text of at most 5000 characters",
}


def _text(value: Any, *, max_len: int, allow_line_breaks: bool = False, min_len: int = 1) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    text = value.strip()
    if not min_len <= len(text) <= max_len:
        raise ValueError("length")
    if normalize.has_control(text, allow_line_breaks=allow_line_breaks):
        raise ValueError("control character")
    return text


def _uuid(value: Any) -> str:
    canonical = canonical_uuid(value) if isinstance(value, str) else None
    if canonical is None:
        raise ValueError("not a UUID")
    return canonical


def _name(value: Any) -> str:
    return _text(value, max_len=NAME_MAX)


def _phone(value: Any) -> str:
    text = _text(value, max_len=32)
    if normalize.phone_e164(text) is None:
        raise ValueError("not a phone number")
    return text


def _email(value: Any) -> str:
    text = _text(value, max_len=normalize.EMAIL_MAX)
    if normalize.email_key(text) is None:
        raise ValueError("not an email address")
    return text


def _number(value: Any, *, step: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a number")
    if not 0 <= value <= 15 or (value / step) % 1 != 0:
        raise ValueError("out of range")
    return value


def _beds(value: Any) -> int:
    return int(_number(value, step=1))


def _baths(value: Any) -> float:
    return float(_number(value, step=0.5))


def _move_in(value: Any) -> date:
    parsed = normalize.calendar_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError("not a date")
    return parsed


def _unit(value: Any) -> str:
    return _text(value, max_len=UNIT_MAX)


def _message(value: Any) -> str:
    return _text(value, max_len=MESSAGE_MAX, allow_line_breaks=True, min_len=0)


def _schema(**schema: Any) -> WithJsonSchema:
    return WithJsonSchema(schema)


UuidStr = Annotated[
    str,
    PlainValidator(_uuid),
    _schema(type="string", format="uuid", examples=["9e539f48-1c18-41a9-8718-1d4ed029f8b5"]),
]
Name = Annotated[
    str, PlainValidator(_name), _schema(type="string", minLength=1, maxLength=NAME_MAX)
]
Phone = Annotated[
    str, PlainValidator(_phone), _schema(type="string", maxLength=32, examples=["5553211234"])
]
Email = Annotated[
    str, PlainValidator(_email), _schema(type="string", format="email", maxLength=254)
]
Beds = Annotated[
    int, PlainValidator(_beds), _schema(type="number", minimum=0, maximum=15, multipleOf=1)
]
Baths = Annotated[
    float, PlainValidator(_baths), _schema(type="number", minimum=0, maximum=15, multipleOf=0.5)
]
MoveIn = Annotated[
    date,
    PlainValidator(_move_in),
    _schema(type="string", format="date", pattern=r"^(20\d\d|2100)-\d{2}-\d{2}$"),
]
Unit = Annotated[
    str, PlainValidator(_unit), _schema(type="string", minLength=1, maxLength=UNIT_MAX)
]
Message = Annotated[str, PlainValidator(_message), _schema(type="string", maxLength=MESSAGE_MAX)]


class ProspectCreate(BaseModel):
    """The body an ILS vendor posts. `null` means absent; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    property_id: UuidStr = Field(alias="propertyId")
    first_name: Name = Field(alias="firstName")
    last_name: Name = Field(alias="lastName")
    phone_number: Phone | None = Field(None, alias="phoneNumber")
    email_address: Email | None = Field(None, alias="emailAddress")
    n_beds: Beds | None = Field(None, alias="nBeds")
    n_baths: Baths | None = Field(None, alias="nBaths")
    move_in_date: MoveIn | None = Field(None, alias="moveInDate")
    preferred_unit: Unit | None = Field(None, alias="preferredUnit")
    preferred_floor_plan_id: UuidStr | None = Field(None, alias="preferredFloorPlanId")
    message: Message | None = Field(None, alias="message")


class ProspectCreated(BaseModel):
    """The 200 body: the seed's documented object, plus `source` and `createdAt`."""

    id: str = Field(description="UUIDv4 of the new prospect")
    propertyId: str
    firstName: str
    lastName: str
    phoneNumber: str | None
    emailAddress: str | None
    nBeds: int | None
    nBaths: float | None
    moveInDate: str | None
    preferredUnit: str | None
    preferredFloorPlanId: str | None
    message: str | None
    source: str = Field(description="the vendor of the ILS key that posted it")
    createdAt: str = Field(description="ISO 8601 UTC")


class Prospect(BaseModel):
    """A prospect as the organization API returns it: the intake's names plus bookkeeping."""

    id: str
    organizationId: str
    propertyId: str
    firstName: str
    lastName: str
    phoneNumber: str | None
    emailAddress: str | None
    nBeds: int | None
    nBaths: float | None
    moveInDate: str | None = Field(description="YYYY-MM-DD")
    preferredUnit: str | None
    unitId: str | None = Field(description="the unit preferredUnit matched, if any")
    preferredFloorPlanId: str | None
    message: str | None
    source: str
    createdAt: str
    updatedAt: str


class Activity(BaseModel):
    """Something that happened to a prospect: today, a REINQUIRY with its submitted payload."""

    id: str
    prospectId: str
    type: str
    source: str
    createdAt: str
    payload: dict[str, Any]
