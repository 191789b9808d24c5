from functools import partial

from shiftpractice.core.views import form_page as core_form_page

# Coaching pages answer an invalid post with 400, so tests and tools can tell a refusal from a page.
form_page = partial(core_form_page, error_status=400)
