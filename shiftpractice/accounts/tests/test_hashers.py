"""Argon2 at OWASP's memory and passes, and hashes made with Django's heavier defaults upgraded at login."""

import pytest
from argon2 import extract_parameters
from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from shiftpractice.accounts.hashers import Argon2PasswordHasher
from tests.factories import UserFactory

HASHERS = ["shiftpractice.accounts.hashers.Argon2PasswordHasher"]


def argon2_parameters(encoded: str):
    return extract_parameters(encoded.removeprefix("argon2"))


def test_new_hashes_use_19_mib_two_passes_one_lane(settings):
    settings.PASSWORD_HASHERS = HASHERS
    encoded = make_password("a long enough password")
    params = argon2_parameters(encoded)
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert params.type.name == "ID"
    assert check_password("a long enough password", encoded)
    assert not check_password("another password", encoded)
    assert not Argon2PasswordHasher().must_update(encoded)


def test_the_production_settings_name_this_hasher_first():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0] == HASHERS[0]


@pytest.mark.django_db
def test_a_hash_with_djangos_parameters_is_upgraded_at_the_next_login(client, settings):
    settings.PASSWORD_HASHERS = HASHERS
    user = UserFactory(email="old-hash@example.org")
    old = DjangoArgon2().encode("an old enough password", DjangoArgon2().salt())
    assert argon2_parameters(old).memory_cost == 102400  # Django 5.2's 100 MiB
    user.password = old
    user.save(update_fields=["password"])
    assert isinstance(identify_hasher(old), Argon2PasswordHasher) and Argon2PasswordHasher().must_update(old)

    response = client.post(
        reverse("accounts:login"), {"username": "old-hash@example.org", "password": "an old enough password"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old
    assert argon2_parameters(user.password).memory_cost == 19 * 1024
    assert user.check_password("an old enough password")
