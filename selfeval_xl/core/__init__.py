"""The pure core: model, number parsing, rules and findings. Imports no Excel library."""
