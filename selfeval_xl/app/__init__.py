"""The use cases shared by the command line, the add-in and batch: validate, score, export, annotate, demo."""
