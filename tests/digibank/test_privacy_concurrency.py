"""Erasure under concurrency on PostgreSQL: one erasure, one log entry."""

import threading

import pytest
from django.db import connection

from digibank.models import ErasureLog
from digibank.services import ErasureError, erase_resident
from tests.factories import make_resident

pytestmark = pytest.mark.postgres


def test_only_one_of_ten_parallel_erasures_is_logged(postgres):
    resident = make_resident("Maria", phone="0470000001")
    results: list[str] = []
    barrier = threading.Barrier(10)

    def run():
        try:
            barrier.wait()
            erase_resident(actor=None, resident=resident, reason="Vraag")
            results.append("ok")
        except ErasureError:
            results.append("refused")
        except Exception as exc:  # noqa: BLE001 - any other error fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok"] + ["refused"] * 9
    assert ErasureLog.objects.filter(resident_number=resident.pk).count() == 1
