"""Ids as the API and operators write them, turned into the stored lower-case canonical form."""

from __future__ import annotations

import re
import uuid

from ils_intake.problems import BadRequest

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def canonical_uuid(value: str) -> str | None:
    """A hyphenated UUID in any letter case, lower-cased (as the API takes ids), else None."""
    return value.lower() if _UUID.fullmatch(value) else None


def parse_id(value: str, what: str) -> str:
    """An id typed by an operator, in any UUID spelling, or a 400 naming what it was meant to be
    (`organization`, `key`...)."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise BadRequest(f"{what} id {value!r} is not a UUID") from None
