"""What the stories app tells the apps above it, without knowing them.

``publication_changed`` is sent inside the transaction that publishes, corrects or withdraws a case study, with
``key`` (``"case-study:<id>"``) and ``entry``: a ``LibraryEntry`` while the case study is public, ``None`` once it
is not. The library keeps its index from it, so a withdrawal leaves every public page, search, feed and sitemap in
the same commit."""

from django.dispatch import Signal

publication_changed = Signal()
