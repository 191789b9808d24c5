"""The single exception type raised for bad chart requests."""

from __future__ import annotations

__all__ = ["SPCInputError"]


class SPCInputError(ValueError):
    """A chart request that the engine refuses to compute.

    Parameters
    ----------
    field : str
        The request field at fault, e.g. ``"y"``, ``"options.freeze"``.
    message : str
        What is wrong, in plain words.
    index : int, optional
        The 0-based position inside ``field`` when the fault is one element.

    Examples
    --------
    >>> err = SPCInputError("y", "not a number", index=3)
    >>> str(err)
    'y[3]: not a number'
    >>> err.field, err.index
    ('y', 3)
    """

    def __init__(self, field: str, message: str, index: int | None = None) -> None:
        self.field = field
        self.index = index
        self.reason = message
        where = field if index is None else f"{field}[{index}]"
        super().__init__(f"{where}: {message}")
