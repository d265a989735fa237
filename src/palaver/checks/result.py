"""What a check returns or raises."""

from __future__ import annotations

from dataclasses import dataclass, field


class CheckFailed(AssertionError):
    """A user-written world, agent or negotiator broke Palaver's contract.

    Attributes:
        subject: What was checked (a class or factory name).
        problems: One line per problem found, each saying what and where.
    """

    def __init__(self, subject: str, problems: list[str]) -> None:
        self.subject = subject
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{subject} failed {len(self.problems)} check(s):\n{lines}")


@dataclass
class CheckReport:
    """The checks a subject passed.

    Attributes:
        subject: What was checked.
        passed: The name of every check that passed, in the order run.
    """

    subject: str
    passed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.subject}: {len(self.passed)} checks passed ({', '.join(self.passed)})"


class _Collector:
    """Runs named checks, collecting failures instead of stopping at the first."""

    def __init__(self, subject: str) -> None:
        self.report = CheckReport(subject)
        self.problems: list[str] = []

    def expect(self, name: str, ok: bool, problem: str) -> bool:
        if ok:
            self.report.passed.append(name)
        else:
            self.problems.append(f"{name}: {problem}")
        return ok

    def fail(self, name: str, problem: str) -> None:
        self.problems.append(f"{name}: {problem}")

    def finish(self) -> CheckReport:
        if self.problems:
            raise CheckFailed(self.report.subject, self.problems)
        return self.report


def check_factory(name: str, value: object, allowed: str) -> None:
    """``TypeError`` naming ``name`` unless ``value`` is callable.

    Found only when the check first calls it, a wrong argument was reported as
    a failure of the code under test ("'str' object is not callable").
    """
    if not callable(value):
        raise TypeError(f"{name} must be {allowed}, got {value!r} ({type(value).__name__})")


def check_made(call: str, value: object, kind: type, what: str) -> None:
    """``TypeError`` naming ``call`` and what it returned unless ``value`` is a ``kind``.

    A factory returning ``None`` (a forgotten ``return``) was reported as a failure
    deep inside the run ("'NoneType' object has no attribute 'bus'").
    """
    if not isinstance(value, kind):
        raise TypeError(f"{call} returned {value!r:.80} ({type(value).__name__}), not {what}")
