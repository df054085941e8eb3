"""Regenerate the golden reference export of the demo: `python3 tests/golden/update.py`.

Run it only for a deliberate change of the export's output, and commit the new reference with that change."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "demo-export.xlsx"


def build(outdir: Path) -> Path:
    """The demo's export, written into outdir."""
    from selfeval_xl.app.demo import demo_export

    return demo_export(outdir)[2]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        shutil.copyfile(build(Path(d)), REFERENCE)
    print(f"updated {REFERENCE.relative_to(HERE.parent.parent)}", file=sys.stderr)
