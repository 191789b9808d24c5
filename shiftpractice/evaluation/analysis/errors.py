"""The single exception type for input that the paired analysis refuses."""

from __future__ import annotations

__all__ = ["AnalysisInputError"]


class AnalysisInputError(ValueError):
    """Input that the analysis refuses (the command line exits with status 2).

    Parameters
    ----------
    field : str
        The input field at fault: ``"before"``, ``"after"``, ``"pairs"`` or ``"request"``.
    message : str
        What is wrong, in plain words.
    index : int, optional
        The 0-based position inside ``field`` when the fault is one element.

    Examples
    --------
    >>> err = AnalysisInputError("before", "text is not a number ('7')", index=2)
    >>> str(err), err.field, err.index
    ("before[2]: text is not a number ('7')", 'before', 2)
    """

    def __init__(self, field: str, message: str, index: int | None = None) -> None:
        self.field = field
        self.index = index
        self.reason = message
        where = field if index is None else f"{field}[{index}]"
        super().__init__(f"{where}: {message}")
