"""Errors a user can meet, each naming the file and, where there is one, the line."""

from __future__ import annotations


class GcmError(Exception):
    """Base class: bad input or a failed operation, reported to the user without a traceback."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __reduce__(self):  # pickled whole (worker processes send errors back), file and line kept
        return (self.__class__, (self.message, self.path, self.line, self.column))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class SourceError(GcmError):
    """A source document or its metadata cannot be used (missing, wrong hash, wrong encoding)."""


class ParseError(GcmError):
    """The document's structure is not what the parser knows; names the line."""


class RegisterError(GcmError):
    """A curated register is malformed, or the source names something the register does not know."""


class QueryError(GcmError):
    """An unknown canned query, a bad parameter, or a query the engine rejects."""


class PublishError(GcmError):
    """A remote store cannot be reached, refuses the credentials, or rejects the data (with its own message)."""
