"""JSON command line: ``{"before": [...], "after": [...]}`` on stdin, the analysis on stdout.

Exit status 0 with the result, 2 with ``{"error": "..."}`` for bad input. Nothing escapes as a
traceback: an unexpected failure exits with status 1 and an ``{"error": ...}`` object as well.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from .errors import AnalysisInputError
from .paired import analyse_dict

__all__ = ["main"]

USAGE = """usage: python -m shiftpractice.evaluation.analysis [--details] < input.json

Reads {"before": [...], "after": [...]} (null for a missing answer) on standard input and
writes the paired analysis as JSON on standard output. --details adds "details" (people lost,
unchanged, medians, Walsh-average median) and "reasons" (why each null field is null).
Exit status 0: the result; 2: bad input, {"error": "..."}; 1: internal error. See docs/evaluation.md.
"""


def _reject_constant(name: str) -> Any:
    # JSON has no NaN or Infinity; refuse Python's lenient extension.
    raise AnalysisInputError("request", f"{name} is not valid JSON")


def _error(stream: IO[str], message: str) -> None:
    stream.write(json.dumps({"error": message}) + "\n")


def _read(stream: IO[str]) -> Any:
    try:
        text = stream.read()
    except UnicodeDecodeError:
        raise AnalysisInputError("request", "malformed JSON (the input is not UTF-8 text)") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise AnalysisInputError(
            "request", f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except AnalysisInputError:
        raise
    except ValueError as exc:  # e.g. an integer literal longer than Python's digit limit
        raise AnalysisInputError("request", f"malformed JSON ({exc})") from None


def main(argv: list[str] | None = None, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Examples
    --------
    >>> import io
    >>> main([], io.StringIO('{"before": [1, 2, 3], "after": [1, "2", 3]}'), sys.stdout)
    {"error": "after[1]: text is not a number ('2')"}
    2
    """
    args = sys.argv[1:] if argv is None else argv
    out = sys.stdout if stdout is None else stdout
    details = False
    for arg in args:
        if arg in ("-h", "--help"):
            out.write(USAGE)
            return 0
        if arg != "--details":
            _error(out, f"unknown argument {arg!r}")
            return 2
        details = True
    try:
        result = analyse_dict(_read(sys.stdin if stdin is None else stdin), details=details)
        out.write(json.dumps(result, allow_nan=False) + "\n")
        return 0
    except AnalysisInputError as exc:
        _error(out, str(exc))
        return 2
    except RecursionError:
        _error(out, "request: nested too deeply")
        return 2
    except Exception as exc:
        _error(out, f"internal error: {type(exc).__name__}: {exc}")
        return 1
