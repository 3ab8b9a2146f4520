"""Erasure under concurrency on PostgreSQL: one erasure, one log entry."""

import pytest

from digibank.models import ErasureLog
from digibank.services import ErasureError, erase_resident
from tests.concurrency import run_in_parallel
from tests.factories import make_resident

pytestmark = pytest.mark.postgres


def test_only_one_of_ten_parallel_erasures_is_logged(postgres):
    resident = make_resident("Maria", phone="0470000001")
    results = run_in_parallel(10, lambda: erase_resident(actor=None, resident=resident,
                                                          reason="Vraag"),
                              expected=(ErasureError,))
    assert results.tally == (1, 9, [])
    assert ErasureLog.objects.filter(resident_number=resident.pk).count() == 1
