"""The one exception type a caller needs to catch."""

from __future__ import annotations


class InputError(ValueError):
    """The input cannot be read as a release (empty, binary, undecodable, too large).

    ``code`` is stable and machine-readable; the message is for people.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
