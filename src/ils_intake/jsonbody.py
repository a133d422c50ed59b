"""Strict decoding of a JSON request body: UTF-8, one object, no NaN, no repeated keys.

The standard library parser is lenient where a lead intake must not be: it accepts `NaN` and
keeps the last of two equal keys, which would let one body mean two things to two readers.
"""

from __future__ import annotations

import json
from typing import Any

from ils_intake.problems import BadRequest, FieldError, InvalidPayload, UnsupportedMediaType

FIELD_NAME_SHOWN = 100  # an unknown field is echoed back, but never at any length


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKey(key)
            seen.add(key)
    return result


def require_json(content_type: str | None) -> None:
    """`application/json`, optionally with a UTF-8 charset parameter; anything else is a 415."""
    media, _, params = (content_type or "").partition(";")
    if media.strip().lower() != "application/json":
        raise UnsupportedMediaType("send the body as Content-Type: application/json")
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            raise UnsupportedMediaType("the body must be UTF-8 (charset=utf-8)")


def decode_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400 saying what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_object_without_repeats
        )
    except _RepeatedKey as exc:
        field = shown_field(exc.key)
        raise InvalidPayload([FieldError(field=field, message="appears more than once")]) from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the body is not valid JSON: {exc.msg} at character {exc.pos}") from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise BadRequest(f"the body is not valid JSON: {reason}") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def shown_field(name: str) -> str:
    """A client-supplied field name made safe to echo: bounded, and encodable as UTF-8."""
    safe = name.encode("utf-8", "replace").decode("utf-8")
    return safe if len(safe) <= FIELD_NAME_SHOWN else safe[:FIELD_NAME_SHOWN] + "..."
