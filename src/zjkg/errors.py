"""The errors zjkg raises, and the exit code each maps to."""

from __future__ import annotations

#: Exit codes of every ``zjkg`` command.
EXIT_OK = 0
EXIT_DATA_FAILS = 1
EXIT_USAGE = 2


class ZjkgError(Exception):
    """Base of zjkg's own errors; ``exit_code`` is what the command line exits with."""

    exit_code = EXIT_USAGE


class InputError(ZjkgError):
    """A file is missing or unreadable, or its syntax is wrong: usage or input error (2)."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.path = path
        self.line = line
        self.hint = hint
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        text = f"{where}: {message}" if where else message
        if hint:
            text = f"{text}\n  how to fix: {hint}"
        super().__init__(text)


class DataError(ZjkgError):
    """The data was read but fails a check: exit code 1."""

    exit_code = EXIT_DATA_FAILS
