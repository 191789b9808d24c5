"""Confirm before removing: the one pattern every destructive action of the site follows.

GET shows what will go and what goes with it, a "Yes, remove" button and a cancel link. Only a POST that carries
the button's value (``confirm=yes``) removes anything: it calls the app's service (one transaction, audited),
then redirects with a message. A POST without it (a one-click form from a page opened before this pattern, a
tool) changes nothing and asks the question again. No JavaScript is involved.

A view authorises through its app's chokepoint first, describes the removal with ``Removal`` and hands over::

    removal = Removal(title="Remove the change idea “Ask at triage”?", cancel_url=..., also=[...])
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.driver_delete(node=node, actor=request.user),
        done_url=..., done_message="“Ask at triage” removed.",
    )
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"
TEMPLATE = "core/confirm_delete.html"


@dataclass(frozen=True)
class Removal:
    """What a confirmation page says.

    ``title`` is the question (the page's heading). ``quote`` is the text that will go, shown as typed;
    ``quote_html`` the same for text rendered and sanitised on write (``core.text.render_markdown``: a post's
    ``body_html``), shown as it is; nothing else may be passed there. ``details`` are
    sentences: what goes with it, what stays. ``also`` lists the things that go with it, one line each. A removal
    that is ``blocked`` (with the reason, and ``blocked_by`` naming what stands in the way) offers no button.
    """

    title: str
    cancel_url: str
    button: str = "Yes, remove it"
    cancel_label: str = "No, go back"
    quote: str = ""
    quote_html: str = ""
    details: Sequence[str] = ()
    also: Sequence[str] = ()
    blocked: str = ""
    blocked_by: Sequence[str] = ()


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_removal(
    request: HttpRequest,
    removal: Removal,
    *,
    remove: Callable[[], object],
    done_url: str,
    done_message: str,
    template: str = TEMPLATE,
    **context,
) -> HttpResponse:
    """Show the confirmation (GET, or an unconfirmed POST), or remove and redirect (a confirmed POST).

    A service that refuses (``ValidationError``: something changed since the page was shown) leaves everything
    as it was; the page comes back with the reason (409).
    """
    errors: list[str] = []
    status = 200
    if is_confirmed(request):
        if removal.blocked:
            errors, status = [removal.blocked], 409
        else:
            try:
                remove()
            except ValidationError as exc:
                errors, status = exc.messages, 409
            else:
                messages.success(request, done_message)
                return redirect(done_url)
    return render(
        request,
        template,
        {
            **context,
            "removal": removal,
            "errors": errors,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
        status=status,
    )


def counted(n: int, one: str, many: str) -> str:
    """``counted(3, "change idea", "change ideas")`` -> "3 change ideas"; "1 change idea"."""
    return f"{n} {one if n == 1 else many}"


def joined(parts: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
