"""Checks and scoring findings declared as data: each rule has an id, a severity, a Chinese message template
and its source; checks register by rule id (registry.py). Importing this package registers them all."""

from selfeval_xl.rules import budget, forms, goals, limits, project, scorecard, scoring, typed  # noqa: F401 - registration
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD, RULES, finding, run_rules  # noqa: F401
