"""Shared by the network's tests: an open call, a valid submission, and the links its email carries."""

import re
import time

from shiftpractice.core.models import EmailDelivery
from shiftpractice.core.sealing import unseal
from shiftpractice.network import services, spam
from shiftpractice.network.choices import ApproachStatus
from shiftpractice.network.models import Approach

ANSWERS = {
    "name": "Gita Green",
    "role": "GP partner",
    "organisation": "Riverside Surgery",
    "region": "north_west",
    "change": "Social prescribing in green spaces for people with low mood.",
    "cohort": None,
    "offers": [],
    "offer_detail": "",
    "heard_from": "colleague",
    "consent_to_contact": True,
}


def open_call(programme, actor):
    return services.open_call_set(
        programme=programme, is_open=True, invitation="Join our next cohort.", actor=actor
    )


def post_data(**overrides) -> dict:
    """What the public form posts: the answers, an address, a stamp old enough, an empty honeypot."""
    data = {k: v for k, v in ANSWERS.items() if k not in ("cohort", "offers")}
    data |= {"email": "gita@example.org", "consent_to_contact": "on", "website": ""}
    data["started"] = spam.stamp(at=time.time() - 30)
    data.update(overrides)
    return data


def links(email: str) -> tuple[str, str | None]:
    """(confirm token, withdraw token) from the latest confirmation email to this address (its sealed copy)."""
    delivery = EmailDelivery.objects.filter(to_address=email).order_by("-id").first()
    text = unseal(delivery.sealed)["text"] if delivery.sealed else delivery.text
    confirm = re.search(r"/network/confirm/([\w-]+)/", text).group(1)
    withdraw = re.search(r"/network/withdraw/([\w-]+)/", text)  # none when the first email's link still works
    return confirm, withdraw.group(1) if withdraw else None


def confirmed(programme, *, email="gita@example.org", kind="interest", **answers) -> Approach:
    approach = services.approach_submit(
        programme=programme, kind=kind, email=email, data={**ANSWERS, **answers}
    )
    services.approach_confirm(token=links(email)[0])
    approach.refresh_from_db()
    assert approach.status == ApproachStatus.NEW
    return approach
