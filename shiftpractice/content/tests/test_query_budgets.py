"""The model's pages run a fixed number of queries however many items a version holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from shiftpractice.content import services


def add_items(version, lead, n: int) -> None:
    for i in range(n):
        services.item_add(
            version=version,
            actor=lead,
            kind="lens",
            slug=f"lens.extra-{version.number}-{i}",
            title=f"Extra lens {i}",
            schema={"questions": ["Q?"], "tools": ["tool.iceberg"]},
            pillars=["systems", "equality"],
            sources=[
                {"citation": f"Source {i}", "url": f"https://example.org/{i}", "accessed": "2026-01-01"}
            ],
        )


def publish(version, lead):
    services.version_update(
        version=version, actor=lead, name=version.name, dated=version.dated, change_note="n"
    )
    services.version_publish(version=version, actor=lead)


PAGES = {
    "model page (anonymous)": (None, lambda v: reverse("content:model")),
    "model page (participant)": ("participant", lambda v: reverse("content:model")),
    "lens page": (None, lambda v: reverse("content:lens", args=["systems"])),
    "attribution": (None, lambda v: reverse("content:attribution")),
    "version page (lead)": ("lead", lambda v: reverse("content:version", args=[v.slug])),
    "version diff": (None, lambda v: reverse("content:version_diff", args=[v.slug])),
}


@pytest.mark.parametrize("page", PAGES)
def test_content_pages_do_not_grow_with_items(client, world, v1, page, django_assert_max_num_queries):
    persona, url_of = PAGES[page]
    lead = world.people["lead"]
    client_for(client, world.people.get(persona))
    small = services.version_draft(actor=lead, source=v1, name="small")
    add_items(small, lead, 2)
    publish(small, lead)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url_of(small)).status_code == 200
    large = services.version_draft(actor=lead, source=small, name="large")
    add_items(large, lead, 25)
    for lens in ["lens.systems", "lens.equality", "lens.ecology"]:
        services.item_revise(version=large, slug=lens, actor=lead, summary="Changed for the budget test.")
    publish(large, lead)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url_of(large)).status_code == 200
    print(f"QUERIES {page}: {len(few)}")
    assert len(few) <= 12
