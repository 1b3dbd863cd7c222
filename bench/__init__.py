"""The benchmark of the service against a naive baseline and a floor (bench/README.md)."""

import time

_T0 = time.monotonic()


def log(message: str) -> None:
    """A progress line of the run, with the seconds since the bench started."""
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", flush=True)
