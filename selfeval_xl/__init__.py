"""selfeval-xl: 预算绩效自评 — templates, validation, scoring and export for Excel."""

__version__ = "0.1.0"
