"""Checks that certify user-written negotiators, agents and worlds.

Like an environment checker, they run the subject under the conditions
Palaver's own components are tested in and report every contract violation at
once, each with what was wrong and where.
"""

from palaver.checks.negotiator import check_negotiator
from palaver.checks.result import CheckFailed, CheckReport
from palaver.checks.world import check_agent, check_world

__all__ = ["CheckFailed", "CheckReport", "check_agent", "check_negotiator", "check_world"]
