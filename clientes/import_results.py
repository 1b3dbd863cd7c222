"""What an import of customers reports: the counts, the rejected lines with the field and the
message of each problem, and the errors that concern the file as a whole. The command prints
them; the API answers them as ``{"creados", "actualizados", "errores": [...]}``."""

from dataclasses import dataclass, field

MAX_DETAILED_REJECTIONS = 1000  # the report lists these; the rest are only counted


class ImportFileError(Exception):
    """The file as a whole cannot be imported (header, encoding, CSV syntax, a conflict).

    The message is one Spanish line for the operator; ``line`` is where the problem is, when
    one line is; nothing has been written.
    """

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class ImportTooLarge(ImportFileError):
    """The file has more rows than the caller allows (the API's 413)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a line is refused: the column it is about (None: the line as a whole)."""

    field: str | None
    message: str


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """A rejected line: its number in the file (the header is line 1) and why."""

    line: int
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, line: int, message: str, field: str | None = None) -> "RejectedLine":
        return cls(line, (Problem(field, message),))

    @property
    def reason(self) -> str:
        """The problems as one line: ``campo: mensaje mensaje; otro: mensaje``."""
        by_field: dict[str | None, list[str]] = {}
        for problem in self.problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name else " ".join(messages)
            for name, messages in by_field.items()
        )


@dataclass(slots=True)
class ImportResult:
    """Counts per accepted line, and the rejected lines (the first ``MAX_DETAILED_REJECTIONS``)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_lines: list[RejectedLine] = field(default_factory=list)
    saved: bool = False

    def reject(self, rejected_line: RejectedLine) -> None:
        self.rejected += 1
        if len(self.rejected_lines) < MAX_DETAILED_REJECTIONS:
            self.rejected_lines.append(rejected_line)
