"""Key material: high-entropy, recognisable by prefix, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum


class KeyKind(StrEnum):
    ILS = "ils"
    STANDARD = "standard"


PREFIXES = {KeyKind.ILS: "ils_", KeyKind.STANDARD: "fk_"}
SECRET_BYTES = 32  # 256 bits: guessing is hopeless, so a fast hash is the right hash


def generate(kind: KeyKind) -> str:
    return PREFIXES[kind] + secrets.token_urlsafe(SECRET_BYTES)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def display_prefix(raw: str) -> str:
    """Enough of the key to tell keys apart in a listing, far too little to use."""
    kind_prefix = raw.split("_", 1)[0] + "_"
    return raw[: len(kind_prefix) + 4]
