"""Write a :class:`ChartResult` as JSON straight from its arrays, in pieces.

The command line's writer. It reads the same field list as
:meth:`ChartResult.to_dict` (:meth:`ChartResult.json_fields`), so both give
the same JSON, but per-point arrays never become Python lists: orjson
serialises NumPy arrays directly, a constant line (a broadcast view) is one
number repeated, dates and labels are formatted as byte arrays, and long
arrays are written in blocks so the text of a whole array is never held at
once.

Examples
--------
>>> import io
>>> from shiftpractice.spc import ChartRequest, compute
>>> out = io.BytesIO()
>>> write_result(compute(ChartRequest("c", None, [2, 4, 3], explain=False)), out.write)
>>> out.getvalue()[:48]
b'{"x":[1,2,3],"y":[2,4,3],"n":null,"y_length":[1,'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from .types import WHOLE_LIMIT, ChartResult, Labels

__all__ = ["float_array_json", "write_result"]

_NUMPY = orjson.OPT_SERIALIZE_NUMPY
#: Elements per block: about 2.5 MB of text for floats.
BLOCK = 1 << 17
Writer = Callable[[bytes], Any]
_FIRST_DAY, _LAST_DAY = np.datetime64("0001-01-01", "D"), np.datetime64("9999-12-31", "D")


def write_result(res: ChartResult, write: Writer, details: bool = False, explain: bool | None = None) -> None:
    """Write ``res`` as one JSON object and a newline through ``write(bytes)``.

    Every small field is encoded before the first byte is written, so a
    failure there leaves the output untouched.
    """
    parts: list[tuple[bytes, str, Any]] = []
    for name, kind, value in res.json_fields(details, explain):
        key = orjson.dumps(name) + b":"
        parts.append((key, "bytes", _plain(value)) if kind == "value" else (key, kind, value))
    sep = b"{"
    for key, kind, value in parts:
        write(sep + key)
        sep = b","
        if kind == "bytes":
            write(value)
        else:
            for chunk in _chunks(kind, value):
                write(chunk)
    write(b"}\n")


def _plain(value: Any) -> bytes:
    """Plain JSON data (texts, counts, small lists); never NaN or Infinity."""
    try:
        return orjson.dumps(value, option=_NUMPY)
    except (TypeError, orjson.JSONEncodeError):
        # e.g. a label holding a lone surrogate, which the standard library escapes
        return json.dumps(value, allow_nan=False).encode()


def _chunks(kind: str, value: Any) -> Iterator[bytes]:
    if kind == "floats":
        yield from _array_chunks(np.asarray(value, dtype=np.float64), _float_block)
    elif kind == "array":
        yield from _array_chunks(np.asarray(value), _plain_block)
    elif kind == "labels":
        yield from _label_chunks(value)
    elif kind == "dates":
        yield from _date_chunks(np.asarray(value, dtype="datetime64[D]"))
    elif kind == "signals":
        yield from _signal_chunks(value)
    else:  # pragma: no cover - json_fields only names the kinds above
        raise ValueError(f"unknown field kind {kind!r}")


def _array_chunks(a: npt.NDArray[Any], block: Callable[[npt.NDArray[Any]], bytes]) -> Iterator[bytes]:
    """``[...]`` of a 1-D array, one block of elements at a time."""
    size = a.shape[0]
    if size == 0:
        yield b"[]"
        return
    if a.strides[0] == 0:
        # A constant line (a broadcast view): one number, repeated.
        one = block(np.ascontiguousarray(a[:1]))[1:-1]
        yield b"["
        left = size
        while left > 1:
            count = min(left - 1, BLOCK)
            yield (one + b",") * count
            left -= count
        yield one + b"]"
        return
    yield b"["
    for start in range(0, size, BLOCK):
        text = block(np.ascontiguousarray(a[start : start + BLOCK]))
        yield text[1:-1] if start + BLOCK >= size else text[1:-1] + b","
    yield b"]"


def _plain_block(a: npt.NDArray[Any]) -> bytes:
    return orjson.dumps(a, option=_NUMPY)


def float_array_json(a: npt.NDArray[np.float64]) -> bytes:
    """One float array as JSON, as :func:`~shiftpractice.spc.types.json_number` writes each value.

    Examples
    --------
    >>> float_array_json(np.array([17.0, 0.25, np.nan, -np.inf, 1e16, -0.0]))
    b'[17,0.25,null,null,1e+16,-0]'
    """
    return b"".join(_array_chunks(np.asarray(a, dtype=np.float64), _float_block))


def _float_block(a: npt.NDArray[np.float64]) -> bytes:
    # orjson writes NaN and infinities as null, and a whole number as "17.0"
    # below 1e16 (with an exponent from there on): dropping that ".0" gives the
    # integer json_number() gives.
    text = orjson.dumps(a, option=_NUMPY)
    with np.errstate(invalid="ignore"):
        whole = bool(np.any((a == np.trunc(a)) & (np.abs(a) < WHOLE_LIMIT)))
    if whole:
        text = text.replace(b".0,", b",").replace(b".0]", b"]")
    return text


def _label_chunks(labels: Labels) -> Iterator[bytes]:
    names = np.array([orjson.dumps(n) for n in labels.names], dtype=object)
    codes = labels.codes
    size = codes.shape[0]
    yield b"["
    for start in range(0, size, BLOCK):
        text = b",".join(names[codes[start : start + BLOCK]].tolist())
        yield text if start + BLOCK >= size else text + b","
    yield b"]"


def _date_chunks(days: npt.NDArray[np.datetime64]) -> Iterator[bytes]:
    """ISO dates as ``"YYYY-MM-DD"``, built as a byte array (13 bytes a date)."""
    size = days.shape[0]
    if size == 0:
        yield b"[]"
        return
    if np.isnat(days).any() or days.min() < _FIRST_DAY or days.max() > _LAST_DAY:
        yield orjson.dumps(np.datetime_as_string(days, unit="D").tolist())
        return
    yield b"["
    for start in range(0, size, BLOCK):
        y, m, d = civil_from_days(days[start : start + BLOCK])
        buf = np.empty((y.shape[0], 13), dtype=np.uint8)
        buf[:, 0] = buf[:, 11] = 34  # "
        buf[:, 5] = buf[:, 8] = 45  # -
        buf[:, 12] = 44  # ,
        for col, div in ((1, 1000), (2, 100), (3, 10), (4, 1)):
            buf[:, col] = 48 + (y // div) % 10
        buf[:, 6], buf[:, 7] = 48 + m // 10, 48 + m % 10
        buf[:, 9], buf[:, 10] = 48 + d // 10, 48 + d % 10
        text = buf.tobytes()
        yield text[:-1] if start + BLOCK >= size else text
    yield b"]"


def civil_from_days(days: npt.NDArray[np.datetime64]) -> tuple[npt.NDArray[np.int32], ...]:
    """(year, month, day) of dates in years 1 to 9999, by integer arithmetic.

    The proleptic Gregorian calendar counted in 400-year eras of 146,097 days
    (the algorithm published by Howard Hinnant); several times faster than
    NumPy's own conversion to ``datetime64[Y]`` and ``[M]``.

    Examples
    --------
    >>> civil_from_days(np.array(["1970-01-01", "2024-02-29", "0001-01-01"], dtype="datetime64[D]"))
    (array([1970, 2024,    1], dtype=int32), array([1, 2, 1], dtype=int32), array([ 1, 29,  1], dtype=int32))
    """
    z = (days.astype(np.int64) + 719468).astype(np.int32)
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9).astype(np.int32)
    year = (yoe + era * 400 + (month <= 2)).astype(np.int32)
    return year, month, day.astype(np.int32)


def _signal_chunks(signals: Mapping[str, npt.NDArray[np.bool_]]) -> Iterator[bytes]:
    sep = b"{"
    for name, flags in signals.items():
        yield sep + orjson.dumps(name) + b":"
        sep = b","
        yield from _array_chunks(np.asarray(flags, dtype=bool), _plain_block)
    yield b"{}" if sep == b"{" else b"}"
