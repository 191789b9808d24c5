"""What the msc app tells the apps above it, without knowing them.

``story_withdrawn`` is sent inside the transaction that withdraws a story's consent, with ``story_id``: the
reports app takes the story out of every published report version that quoted it (and the PDF drawn of it)."""

from django.dispatch import Signal

story_withdrawn = Signal()
