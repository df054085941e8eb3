"""Helpers for tests/test_narrative.py: LibreOffice headless to turn a .docx into a PDF (throwaway profile)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(src: Path, outdir: Path) -> Path:
    """src converted to PDF in outdir by LibreOffice, with a fresh user profile removed afterwards.
    A .csv is read as UTF-8, comma-separated, double-quoted (filter options 44,34,76)."""
    profile = Path(tempfile.mkdtemp(prefix="lo-narrative-"))
    try:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        *(["--infilter=CSV:44,34,76,1"] if src.suffix == ".csv" else []),
                        "--convert-to", "pdf", "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + ".pdf")
    if not out.exists():
        raise RuntimeError(f"LibreOffice produced no {out.name}")
    return out
