"""A request's steps that have an effect (counting it, reading the database), done once.

The list routes try a short way before DRF's view (``tenants.api.short_lists``) and hand
anything unusual to DRF, which then runs the same steps again. Each such step is asked through
``once``: the second time the request gets the first outcome, the value or the very
exception, so the request is counted once and its page read once whichever way answers it.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_OUTCOMES = "_outcomes_once"


def once(request, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s outcome for ``request`` (Django's or DRF's around it): computed on the
    first call with ``key``, then returned, or raised, again on every later call."""
    django_request = getattr(request, "_request", request)
    outcomes = django_request.__dict__.setdefault(_OUTCOMES, {})
    if key not in outcomes:
        try:
            outcomes[key] = (compute(), None)
        except Exception as exc:  # kept, so DRF answers the failure the short way met
            outcomes[key] = (None, exc)
    value, failure = outcomes[key]
    if failure is not None:
        raise failure
    return value
