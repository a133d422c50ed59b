"""Checks `matches` patterns before they reach the database.

SQLite evaluates REGEXP with Python's `re`, PostgreSQL with its own engine. Python accepting a
pattern is not enough: `(?P<x>...)`, `\\b` or `a{1` compile in Python but fail, or mean something
else, in PostgreSQL. So only the syntax both engines read the same way is allowed, and a filter
returns the same rows on either database instead of erroring in production.
"""

from __future__ import annotations

import re
import warnings

from ils_intake.fql.errors import FqlError

# PostgreSQL refuses repetition counts above 255 (RE_DUP_MAX).
_MAX_REPEAT = 255
_CLASS_ESCAPES = frozenset("dws")
_ESCAPES = frozenset("dwsDWS")
_GROUP_PREFIXES = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
_BOUND = re.compile(r"\{(\d+)(,(\d*))?\}")
_QUANTIFIERS = frozenset("*+?}")


def check_pattern(pattern: str, position: int) -> None:
    """Raise FqlError unless `pattern` is valid and portable; `position` is the literal's."""

    def fail(reason: str) -> FqlError:
        return FqlError(f"invalid regular expression: {reason}", position)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FutureWarning marks syntax Python itself will change
        try:
            re.compile(pattern)
        except (re.error, FutureWarning, DeprecationWarning) as exc:
            raise fail(str(exc)) from None
    class_start = -1  # index of the '[' of the class being read, -1 outside classes
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            escaped = pattern[i + 1]  # re.compile refused a trailing backslash
            allowed = _CLASS_ESCAPES if class_start >= 0 else _ESCAPES
            if escaped.isalnum() and escaped not in allowed:
                raise fail(f"'\\{escaped}' is not supported; escape only punctuation")
            i += 2
            continue
        if class_start >= 0:
            if ch == "[":
                raise fail("'[' inside a character class must be escaped")
            # a ']' right after '[' or '[^' is a literal member, not the end of the class
            if ch == "]" and pattern[class_start + 1 : i] not in ("", "^"):
                class_start = -1
        elif ch == "[":
            class_start = i
        elif ch == "(" and pattern.startswith("(?", i):
            if not pattern.startswith(_GROUP_PREFIXES, i):
                raise fail("only (?:...) and lookaround groups are supported")
        elif ch == "{":
            bound = _BOUND.match(pattern, i)
            if bound is None:
                raise fail("write bounds as {m}, {m,} or {m,n}; use '\\{' for a literal brace")
            if max(int(n) for n in (bound[1], bound[3]) if n) > _MAX_REPEAT:
                raise fail(f"repetition counts above {_MAX_REPEAT} are not supported")
            i = bound.end() - 1
        elif ch == "+" and _follows_quantifier(pattern, i):
            raise fail("possessive quantifiers are not supported")
        i += 1


def _follows_quantifier(pattern: str, i: int) -> bool:
    """Whether pattern[i - 1] is an unescaped quantifier, making pattern[i] possessive."""
    if i == 0 or pattern[i - 1] not in _QUANTIFIERS:
        return False
    before = pattern[: i - 1]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 0
