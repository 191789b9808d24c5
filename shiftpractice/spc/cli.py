"""JSON command line: one chart request on stdin, the result on stdout.

Exit status 0 with the result, 2 with ``{"error": "..."}`` for bad input.
Nothing escapes as a traceback: an unexpected failure exits with status 1
and an ``{"error": ...}`` object as well.

Built to be as fast as its input and output: the request is parsed by orjson
(the standard library's parser is the fallback, and gives the exact message
for malformed JSON), lists become NumPy arrays in one call each (ISO dates
included), the Python lists are dropped before the chart is computed,
explanations are built only when asked for, and the result is written
straight from its arrays (:mod:`shiftpractice.spc.jsonout`).
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import orjson

from . import compute_dict
from .errors import SPCInputError

USAGE = """usage: python -m shiftpractice.spc [--explain] [--details] < request.json

Reads one chart request as JSON on standard input and writes the result as JSON
on standard output. See docs/spc.md for the request and result fields.

  --explain   include the plain-language "explanations" (the default for a
              request without an "explain" field is false on the command line)
  --details   include "signal_details" (and the explanations)
"""

_INT64_RANGE = 2.0**63


def _reject_constant(name: str) -> Any:
    # JSON has no NaN or Infinity; refuse Python's lenient extension.
    raise SPCInputError("request", f"{name} is not valid JSON")


def _error(stream: IO[str], message: str) -> None:
    stream.write(json.dumps({"error": message}) + "\n")


def _read(inp: IO[str]) -> bytes | str:
    """The whole request: bytes from a real stream, text from a text-only one (tests)."""
    buffer = getattr(inp, "buffer", None)
    if buffer is not None:
        data: bytes = buffer.read()
        return data
    return inp.read()


def _parse_exact(raw: bytes | str) -> Any:
    """The standard library's parser: exact messages, and numbers orjson refuses."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SPCInputError("request", "malformed JSON (the input is not UTF-8 text)") from None
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SPCInputError(
            "request", f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except SPCInputError:
        raise
    except ValueError as exc:
        # e.g. an integer literal longer than Python's digit limit
        raise SPCInputError("request", f"malformed JSON ({exc})") from None


def _big_float(v: Any) -> bool:
    return type(v) is float and not -_INT64_RANGE <= v < _INT64_RANGE


def _any_big_float(v: Any) -> bool:
    if isinstance(v, list):
        return any(_any_big_float(e) for e in v)
    if isinstance(v, dict):
        return any(_any_big_float(e) for e in v.values())
    return _big_float(v)


def _parse(raw: bytes | str) -> Any:
    """Parse with orjson; fall back to the standard library where the two differ.

    orjson refuses what the standard library would turn into a field-level
    message (``1e999``, lone surrogates) and reads an integer beyond 64 bits as
    a float; the standard library keeps it an integer, so ``x`` and the
    options are re-read with it when such a number appears there.
    """
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _parse_exact(raw)
    if isinstance(data, dict):
        x = data.get("x")
        # Text x (dates, labels) needs no look: a number among them is refused either way.
        big_x = (
            isinstance(x, list)
            and bool(x)
            and type(x[0]) is not str
            and float in set(map(type, x))
            and any(map(_big_float, x))
        )
        if big_x or _any_big_float(data.get("options")):
            return _parse_exact(raw)
    return data


def _writer(out: IO[str]) -> Any:
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        return buffer.write
    return lambda chunk: out.write(chunk.decode("utf-8"))


def main(argv: list[str] | None = None, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    inp = sys.stdin if stdin is None else stdin
    out = sys.stdout if stdout is None else stdout
    details = explain = False
    for arg in args:
        if arg in ("-h", "--help"):
            out.write(USAGE)
            return 0
        if arg == "--details":
            details = True
        elif arg == "--explain":
            explain = True
        else:
            _error(out, f"unknown argument {arg!r}")
            return 2
    try:
        data = _parse(_read(inp))
        import numpy as np

        from . import compute_prepared
        from .jsonout import write_result
        from .validate import prepare, request_from_mapping

        request = request_from_mapping(data, explain_default=explain)
        del data
        with np.errstate(all="ignore"):
            prepared = prepare(request)
        # The request's Python lists are no longer needed: free them before computing.
        del request
        result = compute_prepared(prepared)
        del prepared
        write_result(result, _writer(out), details=details)
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
