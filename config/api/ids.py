"""Database ids as clients send them: positive bigints written in ASCII digits."""

MAX_BIGINT = 2**63 - 1


def parse_id(raw: str) -> int | None:
    """A positive bigint id, or None for anything else ("abc", "-1", "²", 2**70)."""
    if not raw.isascii() or not raw.isdigit():
        return None
    digits = raw.lstrip("0")
    if not digits or len(digits) > 19:
        return None
    value = int(digits)
    return value if value <= MAX_BIGINT else None
