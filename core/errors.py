"""The errors services raise when a rule of the domain is broken.

They say what went wrong, in Spanish for the person using the service, and nothing about
HTTP: the API's exception handler (``config.api.exceptions``) picks the status for each kind,
the admin shows the message as a form error, the commands print it.
"""


class DomainError(Exception):
    """A rule of the domain was broken (the API answers 400). ``details``: facts the answer
    carries beside the message (e.g. how many sales stand in the way)."""

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFoundError(DomainError):
    """What the request names does not exist (for the caller)."""


class ConflictError(DomainError):
    """The request contradicts the current state (already cancelled, a taken documento)."""


class UnprocessableError(DomainError):
    """Well-formed, but it contradicts what the server already holds (e.g. a reused key)."""


class ForbiddenError(DomainError):
    """The caller's role may not do this."""


class GoneError(DomainError):
    """What the request asks for existed but is kept no more (e.g. events past retention)."""
