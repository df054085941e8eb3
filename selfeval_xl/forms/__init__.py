"""Grid → model: every table's location and layout, declared once (the only code that knows where things sit)."""
