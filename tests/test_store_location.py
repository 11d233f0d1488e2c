"""Where the sessions live, as messages show it: never a password."""

from __future__ import annotations

import pytest

from sim.store.location import is_postgres_url, mask_url, secrets_of


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://sim:s3cret@db:5432/sim", "postgresql://sim:***@db:5432/sim"),
        (
            "postgres://sim:p%40ss@db/sim?sslmode=require",
            "postgres://sim:***@db/sim?sslmode=require",
        ),
        (
            "postgresql://db/sim?user=sim&password=s3cret",
            "postgresql://db/sim?user=sim&password=***",
        ),
        ("postgresql://sim@db/sim", "postgresql://sim@db/sim"),
        ("postgresql://sim:p@ss@db/sim", "postgresql://sim:***@db/sim"),
        ("host=db user=sim password=s3cret dbname=sim", "host=db user=sim password=*** dbname=sim"),
    ],
)
def test_a_password_is_masked_wherever_it_is_written(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_the_secrets_are_found_to_scrub_from_messages() -> None:
    assert secrets_of("postgresql://sim:s3cret@db/sim?password=other") == ["s3cret", "other"]
    assert is_postgres_url("PostgreSQL://db/sim") and not is_postgres_url("mysql://db/sim")
