"""Scoring: indicator systems as data, a closed registry of methods, grades."""
