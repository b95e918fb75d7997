"""秒批 (DOMAIN §4.6): evaluate a matter version's auto-approval rules against a submission.

Every rule must hold; a rule that cannot be evaluated (a missing or non-numeric value) does not hold,
so anything unclear goes to a person. Rules never refuse: a negative outcome is a human decision.
"""

import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from applications.answers import age_on

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def _number(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def rule_holds(
    rule: Mapping[str, Any], *, answers: Mapping[str, str], id_number: str, on: dt.date
) -> bool:
    """Whether one rule holds for these answers and this applicant on day `on`."""
    name, op, expected = rule.get("field"), rule.get("op"), rule.get("value")
    actual: object = age_on(id_number, on) if name == "applicant.age" else answers.get(str(name))
    if actual is None or actual == "":
        return False
    if op == "in":
        return isinstance(expected, list) and str(actual) in [str(e) for e in expected]
    compare = OPERATORS.get(str(op))
    if compare is None:
        return False
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return compare(left, right)
    if op in ("==", "!="):
        return compare(str(actual), str(expected))
    return False


def rules_hold(
    rules: Sequence[Mapping[str, Any]], *, answers: Mapping[str, str], id_number: str, on: dt.date
) -> bool:
    """Whether a version with `rules` approves this submission by itself (no rules: never)."""
    return bool(rules) and all(
        rule_holds(rule, answers=answers, id_number=id_number, on=on) for rule in rules
    )
