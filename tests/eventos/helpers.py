"""Helpers of the feed's worker tests."""

import contextlib

from procrastinate.exceptions import AlreadyEnqueued


def defer_periodic(task, **kwargs) -> None:
    """Queue ``task`` as the worker's periodic deferrer does: not again while a job of its
    queueing lock waits (procrastinate's job tables outlive a transactional test's flush, so
    an earlier test may have left one queued; the worker run next takes it either way)."""
    with contextlib.suppress(AlreadyEnqueued):
        task.defer(**kwargs)
