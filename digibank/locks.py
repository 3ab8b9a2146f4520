"""Locks on something that is not a row yet: a person about to be created,
a form about to be saved. On PostgreSQL a transaction-level advisory lock
(released at commit or rollback). SQLite, the development database, has
no such lock: there the database's unique constraints are the only guard."""

import hashlib

from django.db import connection


def lock_on(*parts: str) -> None:
    """Wait until no other transaction holds the lock named by ``parts``,
    then hold it until this transaction ends. Call inside ``atomic``."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
