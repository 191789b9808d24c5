"""Who may see and revoke a token: only the person it belongs to (everyone else gets 404)."""

from django.shortcuts import get_object_or_404

from .models import ApiToken


def get_token_for_user(user, public_id) -> ApiToken:
    return get_object_or_404(ApiToken, public_id=public_id, user_id=getattr(user, "pk", None))
