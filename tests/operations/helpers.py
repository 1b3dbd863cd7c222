"""The project's own programs run in a child process, as an operator would run them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_project(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    """``python *args`` in the project's root with ``env`` as its whole environment; its output
    as text, and its exit status returned rather than raised."""
    return subprocess.run(  # noqa: S603 - the tests' own command lines
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
