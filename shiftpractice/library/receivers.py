"""The library's side of the stories app's contract (``stories.signals.publication_changed``): each published,
corrected or withdrawn case study is kept as a library item, inside the transaction that changed it."""

from . import services


def case_study_changed(sender, *, key: str, entry=None, **kwargs) -> None:
    services.case_study_sync(key=key, entry=entry)
