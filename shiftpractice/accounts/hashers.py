"""Password hashing: Argon2id with the memory OWASP's Password Storage Cheat Sheet recommends.

Django's own Argon2 hasher asks for 100 MiB and 8 lanes per hash: a burst of logins then doubles a worker's memory.
This one uses OWASP's first recommended setting (m=19 MiB, t=2, p=1; docs/architecture.md says why). It keeps
the algorithm name "argon2", so hashes made with Django's parameters are still checked by it, and Django re-hashes
them with these parameters the next time the person logs in (``must_update`` compares the stored parameters).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
