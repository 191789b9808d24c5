"""Reads about a person made once a request and shared by everything that asks in it.

The navigation, the home page and the sharing rules each want to know which cohorts a person belongs to and
which programmes they lead. ``RequestMemoMiddleware`` opens a memo for each request (``request_scope``); within
it, ``remembered`` makes a read once and hands the same answer to every later caller. Outside a request (a
command, a task, most tests) there is no memo: ``remembered`` answers None and the caller reads for itself.
A write that changes what was remembered calls ``forget`` (``cohorts.roles`` does so on every change to a
membership or a programme's leads), so later reads in the same request see it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_memo: ContextVar[dict | None] = ContextVar("shiftpractice_request_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """A memo for the duration of one request (or of a test that stands for one)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: tuple, read: Callable[[], T]) -> T | None:
    """``read()``, once per request for this key; None outside a request."""
    memo = _memo.get()
    if memo is None:
        return None
    if key not in memo:
        memo[key] = read()
    return memo[key]


def keep(key: tuple, value) -> None:
    """Remember ``value`` for this key in this request (nothing outside a request)."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def peek(key: tuple):
    """What this request already remembered for this key, or None (never reads)."""
    memo = _memo.get()
    return None if memo is None else memo.get(key)


def forget() -> None:
    """Drop everything remembered in this request (after a write that may have changed it)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()
