"""Checks and scoring findings declared as data: each rule has an id, a severity, a Chinese message template
and its source; checks register by rule id (registry.py). run_rules imports the check modules of the tables
present; load() or all_rules() imports them all."""

from selfeval_xl.rules.registry import DEFAULT_THRESHOLD, RULES, all_rules, finding, load, run_rules  # noqa: F401
