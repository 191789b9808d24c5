"""The signed-in person."""

from ninja import Router

from shiftpractice.cohorts.models import Membership

from ..schemas import MeOut
from .common import caller

router = Router(tags=["people"])


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request):
    user = caller(request)
    memberships = (
        Membership.objects.filter(user=user).select_related("cohort__programme").order_by("cohort__slug")
    )
    token = getattr(request, "api_token", None)
    return {
        "id": user.public_id,
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "organisation": user.organisation,
        "leads": list(user.led_programmes.order_by("slug").values_list("slug", flat=True)),
        "memberships": [
            {"cohort": m.cohort.slug, "programme": m.cohort.programme.slug, "role": m.role}
            for m in memberships
        ],
        "token": None
        if token is None
        else {
            "id": token.public_id,
            "name": token.name,
            "scope": token.scope,
            "expires_at": token.expires_at,
        },
    }
