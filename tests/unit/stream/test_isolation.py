"""The abort -> rewind loop is capped: isolate the refused record, quarantine it, move on."""

from __future__ import annotations

import pytest

from processor.errors import StreamError
from processor.stream.isolation import Isolation

BATCH = {("raw", 0): 110, ("raw", 1): 55}


def test_normal_batches_until_max_aborts_in_a_row() -> None:
    """Batches keep their size until max_retries aborts in a row; a commit resets the count."""
    iso = Isolation(max_retries=3)
    iso.aborted(BATCH, None)
    iso.aborted(BATCH, None)
    iso.committed(BATCH)
    iso.aborted(BATCH, None)
    iso.aborted(BATCH, None)
    assert not iso.active and iso.batch_size(500) == 500
    iso.aborted(BATCH, None)
    assert iso.active and iso.batch_size(500) == 1


def test_lone_record_is_rejected_after_max_aborts_and_isolation_ends() -> None:
    """One record aborting max_retries times alone is rejected; then batches resume."""
    iso = Isolation(max_retries=2)
    for _ in range(2):
        iso.aborted(BATCH, None)
    bad = ("raw", 0, 104)
    iso.committed({("raw", 0): 104})  # the records before it go through one by one
    assert iso.active and not iso.should_reject(bad)
    iso.aborted({("raw", 0): 105}, bad)
    assert not iso.should_reject(bad)
    iso.aborted({("raw", 0): 105}, bad)
    assert iso.should_reject(bad)
    assert not iso.should_reject(("raw", 0, 105))
    iso.committed({("raw", 0): 110})
    assert iso.active  # partition 1 is still to be passed one by one
    iso.committed({("raw", 1): 55})
    assert not iso.active and iso.batch_size(500) == 500
    assert not iso.should_reject(bad)


def test_stand_in_that_keeps_aborting_gives_up_with_stream_error() -> None:
    """When even the quarantine stand-in keeps aborting, the worker stops instead of looping."""
    iso = Isolation(max_retries=2)
    iso.aborted(BATCH, None)
    iso.aborted(BATCH, None)
    bad = ("raw", 1, 50)
    iso.aborted(BATCH, bad)
    iso.aborted(BATCH, bad)
    assert iso.should_reject(bad)
    iso.aborted(BATCH, bad)
    with pytest.raises(StreamError) as info:
        iso.aborted(BATCH, bad)
    assert "raw/1/50" in str(info.value)


def test_revoked_partitions_are_forgotten() -> None:
    """Isolation of a partition ends when the partition is revoked."""
    iso = Isolation(max_retries=1)
    iso.aborted(BATCH, None)
    iso.aborted({("raw", 0): 101}, ("raw", 0, 100))
    iso.forget([("raw", 0), ("raw", 1)])
    assert not iso.active and not iso.should_reject(("raw", 0, 100))
