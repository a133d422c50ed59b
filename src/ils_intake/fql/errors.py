"""The one exception FQL raises, so the API can turn any bad filter into a 400."""

from __future__ import annotations


class FqlError(ValueError):
    """A filter or sort expression the caller has to fix.

    `position` is the 0-based character offset in the caller's text where the problem starts, so
    the message can point at it without echoing a large input back.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} at character {self.position}"
