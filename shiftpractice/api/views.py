"""The person's tokens page (make, see, revoke with a confirmation) and the API's documentation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors

from . import selectors, services
from .forms import TokenForm
from .permissions import get_token_for_user


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens; a new one is shown once, on the page that made it, and never again."""
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(user=request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            made = {"token": token, "raw": raw}
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "made": made,
            "tokens": selectors.token_list(user=request.user),
            "page_title": "API tokens",
            "breadcrumbs": [("Your profile", reverse("accounts:profile"))],
        },
    )
    if made:
        response["Cache-Control"] = "no-store"  # the page holds the token: never kept in a cache
    return response


@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id) -> HttpResponse:
    token = get_token_for_user(request.user, token_id)
    cancel = reverse("api_pages:tokens")
    if token.revoked_at is not None:
        messages.info(request, f"“{token.name}” was already revoked.")
        return redirect(cancel)
    removal = Removal(
        title=f"Revoke the token “{token.name}”?",
        cancel_url=cancel,
        button="Yes, revoke it",
        details=[
            "Anything that uses this token stops working at once. This cannot be undone: "
            "to go on, make a new token and give it to the script or tool instead."
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.token_revoke(token=token, actor=request.user),
        done_url=cancel,
        done_message=f"“{token.name}” revoked.",
    )


@login_not_required
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI over the schema: its files come from npm through whitenoise, started by a static script."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:openapi-json")})
