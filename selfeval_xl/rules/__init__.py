"""Checks and scoring findings declared as data: each rule has an id, a severity, a Chinese message template
and its source; checks register by rule id (registry.py). run_rules imports the check modules of the tables
present; registry.load() or registry.all_rules() imports them all. Nothing is imported here, so that a module
needing only the severities or the Finding type does not load the registry."""
