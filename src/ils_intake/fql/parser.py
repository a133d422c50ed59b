"""Recursive-descent parser for FQL filters.

Grammar (keywords case-insensitive)::

    expression := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not" unary | "(" expression ")" | comparison
    comparison := FIELD operator value
    operator   := "=" | "==" | "!=" | "<>" | ">" | ">=" | "<" | "<=" | "~=" | "~"
                | "matches" | "hasAny"
    value      := STRING | NUMBER | "NULL" | "EXISTS" | "[" literal ("," literal)* "]"
    literal    := STRING | NUMBER

Only `not` and parentheses recurse, and both count against MAX_DEPTH, so hostile input ends in
an FqlError rather than a RecursionError.
"""

from __future__ import annotations

from ils_intake.fql.errors import FqlError
from ils_intake.fql.lexer import Kind, Token, tokenize
from ils_intake.fql.tree import (
    And,
    Comparison,
    ExistsValue,
    ListValue,
    Node,
    Not,
    NullValue,
    NumberValue,
    Op,
    Or,
    StringValue,
    Value,
)

MAX_DEPTH = 32
MAX_LIST_ITEMS = 100

_OPERATORS = {
    "=": Op.EQ,
    "==": Op.EQ,
    "!=": Op.NE,
    "<>": Op.NE,
    ">": Op.GT,
    ">=": Op.GE,
    "<": Op.LT,
    "<=": Op.LE,
    "~=": Op.LIKE,
    "~": Op.LIKE,
    "matches": Op.MATCHES,
    "hasany": Op.HAS_ANY,
}


def parse(text: str) -> Node:
    """Parse a filter expression into a tree; raise FqlError pointing at the first problem."""
    return _Parser(tokenize(text)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._depth = 0

    @property
    def _current(self) -> Token:
        return self._tokens[self._index]

    def _advance(self) -> Token:
        token = self._tokens[self._index]
        if token.kind is not Kind.END:
            self._index += 1
        return token

    def _at_keyword(self, word: str) -> bool:
        return self._current.kind is Kind.KEYWORD and self._current.text == word

    def parse(self) -> Node:
        if self._current.kind is Kind.END:
            raise FqlError("empty expression", 0)
        node = self._expression()
        token = self._current
        if token.kind is Kind.RPAREN:
            raise FqlError("unmatched ')'", token.position)
        if token.kind is not Kind.END:
            raise FqlError(
                f"unexpected {token.describe()}: expected 'and', 'or' or end of expression",
                token.position,
            )
        return node

    def _expression(self) -> Node:
        start = self._current.position
        operands = [self._and_expression()]
        while self._at_keyword("or"):
            self._advance()
            operands.append(self._and_expression())
        return operands[0] if len(operands) == 1 else Or(tuple(operands), start)

    def _and_expression(self) -> Node:
        start = self._current.position
        operands = [self._unary()]
        while self._at_keyword("and"):
            self._advance()
            operands.append(self._unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands), start)

    def _unary(self) -> Node:
        token = self._current
        if self._at_keyword("not"):
            self._enter(token)
            self._advance()
            node: Node = Not(self._unary(), token.position)
            self._depth -= 1
            return node
        if token.kind is Kind.LPAREN:
            self._enter(token)
            self._advance()
            node = self._expression()
            closing = self._current
            if closing.kind is Kind.END:
                raise FqlError("unclosed '('", token.position)
            if closing.kind is not Kind.RPAREN:
                raise FqlError(
                    f"unexpected {closing.describe()}: expected 'and', 'or' or ')'",
                    closing.position,
                )
            self._advance()
            self._depth -= 1
            return node
        return self._comparison()

    def _enter(self, token: Token) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise FqlError(f"expression is nested deeper than {MAX_DEPTH} levels", token.position)

    def _comparison(self) -> Comparison:
        field = self._advance()
        if field.kind is Kind.END:
            raise FqlError("expected a condition", field.position)
        if field.kind is not Kind.IDENT:
            raise FqlError(f"expected a field name, found {field.describe()}", field.position)
        op_token = self._advance()
        op = self._operator(op_token, field)
        value = self._value(op)
        return Comparison(field.text, op, value, field.position, op_token.position)

    def _operator(self, token: Token, field: Token) -> Op:
        if token.kind in (Kind.OPERATOR, Kind.KEYWORD) and token.text in _OPERATORS:
            return _OPERATORS[token.text]
        if token.kind is Kind.IDENT:
            raise FqlError(f"unknown operator '{token.text[:30]}'", token.position)
        raise FqlError(
            f"expected an operator after '{field.text[:30]}', found {token.describe()}",
            token.position,
        )

    def _value(self, op: Op) -> Value:
        token = self._current
        if op is Op.HAS_ANY:
            if token.kind is not Kind.LBRACKET:
                raise FqlError('expected a list like ["a", "b"] after hasAny', token.position)
            return self._list()
        if token.kind is Kind.LBRACKET:
            raise FqlError("a list is only allowed after hasAny", token.position)
        if self._at_keyword("null"):
            self._advance()
            return NullValue(token.position)
        if self._at_keyword("exists"):
            self._advance()
            return ExistsValue(token.position)
        return self._literal()

    def _literal(self) -> StringValue | NumberValue:
        token = self._advance()
        if token.kind is Kind.STRING:
            return StringValue(token.text, token.position)
        if token.kind is Kind.NUMBER and token.number is not None:
            return NumberValue(token.number, token.position)
        if token.kind is Kind.IDENT:
            raise FqlError("expected a value (strings must be in double quotes)", token.position)
        raise FqlError("expected a value", token.position)

    def _list(self) -> ListValue:
        opening = self._advance()
        items = [self._list_item()]
        while self._current.kind is Kind.COMMA:
            self._advance()
            if len(items) == MAX_LIST_ITEMS:
                raise FqlError(
                    f"hasAny takes at most {MAX_LIST_ITEMS} values", self._current.position
                )
            items.append(self._list_item())
        closing = self._current
        if closing.kind is Kind.END:
            raise FqlError("unclosed '['", opening.position)
        if closing.kind is not Kind.RBRACKET:
            raise FqlError(
                f"unexpected {closing.describe()}: expected ',' or ']'", closing.position
            )
        self._advance()
        return ListValue(tuple(items), opening.position)

    def _list_item(self) -> StringValue | NumberValue:
        if self._current.kind is Kind.KEYWORD and self._current.text in ("null", "exists"):
            raise FqlError(
                f"{self._current.text.upper()} cannot be used inside a list",
                self._current.position,
            )
        return self._literal()
