"""JSON command line: one chart request on stdin, the result on stdout.

Exit status 0 with the result, 2 with ``{"error": "..."}`` for bad input.
Nothing escapes as a traceback: an unexpected failure exits with status 1
and an ``{"error": ...}`` object as well.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from . import compute_dict
from .errors import SPCInputError

USAGE = """usage: python -m shiftpractice.spc [--details] < request.json

Reads one chart request as JSON on standard input and writes the result as JSON
on standard output. See docs/spc.md for the request and result fields.
"""


def _reject_constant(name: str) -> Any:
    # JSON has no NaN or Infinity; refuse Python's lenient extension.
    raise SPCInputError("request", f"{name} is not valid JSON")


def _error(stream: IO[str], message: str) -> None:
    stream.write(json.dumps({"error": message}) + "\n")


def main(argv: list[str] | None = None, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    inp = sys.stdin if stdin is None else stdin
    out = sys.stdout if stdout is None else stdout
    details = False
    for arg in args:
        if arg in ("-h", "--help"):
            out.write(USAGE)
            return 0
        if arg == "--details":
            details = True
        else:
            _error(out, f"unknown argument {arg!r}")
            return 2
    try:
        try:
            text = inp.read()
        except UnicodeDecodeError:
            raise SPCInputError("request", "malformed JSON (the input is not UTF-8 text)") from None
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise SPCInputError(
                "request", f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            ) from None
        except SPCInputError:
            raise
        except ValueError as exc:
            # e.g. an integer literal longer than Python's digit limit
            raise SPCInputError("request", f"malformed JSON ({exc})") from None
        from . import compute
        from .validate import request_from_mapping

        result = compute(request_from_mapping(data)).to_dict(details=details)
        out.write(json.dumps(result, allow_nan=False) + "\n")
        return 0
    except SPCInputError as exc:
        _error(out, str(exc))
        return 2
    except RecursionError:
        _error(out, "request: nested too deeply")
        return 2
    except Exception as exc:
        _error(out, f"internal error: {type(exc).__name__}: {exc}")
        return 1


__all__ = ["compute_dict", "main"]
