"""Splits FQL text into tokens, rejecting anything that cannot start a valid token."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from ils_intake.fql.errors import FqlError

MAX_LENGTH = 2000

KEYWORDS = frozenset({"and", "or", "not", "matches", "hasany", "null", "exists"})
SYMBOL_OPERATORS = frozenset({"=", "==", "!=", "<>", ">", ">=", "<", "<=", "~=", "~"})

_OPERATOR_CHARS = frozenset("=!<>~")
_PUNCTUATION = {"(": "LPAREN", ")": "RPAREN", "[": "LBRACKET", "]": "RBRACKET", ",": "COMMA"}
_WHITESPACE = frozenset(" \t\r\n")
_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_DIGITS = frozenset("0123456789")
_IDENT_CHARS = _IDENT_START | _DIGITS
_ESCAPES = {'"': '"', "\\": "\\"}


class Kind(enum.Enum):
    IDENT = "identifier"
    KEYWORD = "keyword"
    STRING = "string"
    NUMBER = "number"
    OPERATOR = "operator"
    LPAREN = "'('"
    RPAREN = "')'"
    LBRACKET = "'['"
    RBRACKET = "']'"
    COMMA = "','"
    END = "end of expression"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str  # source text; keywords lower-cased, strings unescaped
    position: int
    number: int | Decimal | None = None

    def describe(self) -> str:
        """How error messages name this token: short, and never the whole input."""
        if self.kind is Kind.END:
            return "end of expression"
        shown = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        return f'"{shown}"' if self.kind is Kind.STRING else f"'{shown}'"


def tokenize(text: str) -> list[Token]:
    """Return the tokens of `text`, always ending with an END token."""
    if len(text) > MAX_LENGTH:
        raise FqlError(f"expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _WHITESPACE:
            i += 1
        elif ch in _PUNCTUATION:
            tokens.append(Token(Kind[_PUNCTUATION[ch]], ch, i))
            i += 1
        elif ch == '"':
            token, i = _string(text, i)
            tokens.append(token)
        elif ch in _DIGITS or (ch == "-" and text[i + 1 : i + 2] in _DIGITS):
            token, i = _number(text, i)
            tokens.append(token)
        elif ch in _IDENT_START:
            end = i
            while end < len(text) and text[end] in _IDENT_CHARS:
                end += 1
            word = text[i:end]
            if word.lower() in KEYWORDS:
                tokens.append(Token(Kind.KEYWORD, word.lower(), i))
            else:
                tokens.append(Token(Kind.IDENT, word, i))
            i = end
        elif ch in _OPERATOR_CHARS:
            end = i
            while end < len(text) and text[end] in _OPERATOR_CHARS:
                end += 1
            if text[i:end] not in SYMBOL_OPERATORS:
                raise FqlError(f"unknown operator '{text[i:end]}'", i)
            tokens.append(Token(Kind.OPERATOR, text[i:end], i))
            i = end
        elif ch == "'":
            raise FqlError("strings must be in double quotes", i)
        else:
            raise FqlError(f"unexpected character {_show_char(ch)}", i)
    tokens.append(Token(Kind.END, "", len(text)))
    return tokens


def _string(text: str, start: int) -> tuple[Token, int]:
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return Token(Kind.STRING, "".join(chars), start), i + 1
        if ch == "\\":
            escaped = text[i + 1 : i + 2]
            if escaped not in _ESCAPES:
                raise FqlError('invalid escape in string: only \\" and \\\\ are allowed', i)
            chars.append(_ESCAPES[escaped])
            i += 2
            continue
        if ch == "\x00" or "\ud800" <= ch <= "\udfff":
            raise FqlError(f"invalid character {_show_char(ch)} in string", i)
        chars.append(ch)
        i += 1
    raise FqlError("unterminated string", start)


def _number(text: str, start: int) -> tuple[Token, int]:
    end = start + 1
    while end < len(text) and (text[end] in _DIGITS or text[end] == "."):
        end += 1
    if end < len(text) and text[end] in _IDENT_CHARS:
        while end < len(text) and text[end] in _IDENT_CHARS:
            end += 1
    raw = text[start:end]
    integer, dot, fraction = raw.lstrip("-").partition(".")
    if not integer.isdigit() or (dot and not fraction.isdigit()) or not raw.isascii():
        raise FqlError(f"malformed number '{raw[:30]}'", start)
    value: int | Decimal = Decimal(raw) if dot else int(raw)
    return Token(Kind.NUMBER, raw, start, value), end


def _show_char(ch: str) -> str:
    return repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
