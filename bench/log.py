"""The run's progress lines, with the seconds since the bench started."""

import time

_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", flush=True)
