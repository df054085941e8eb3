"""LibreOffice headless as the real spreadsheet engine for tests: recalculate on load
(OOXMLRecalcMode=0) in a throwaway profile, and convert to xlsx or PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, outdir: Path, to: str = "xlsx", infilter: str | None = None) -> Path:
    """Convert with a fresh profile that recalculates every formula on load."""
    exe = soffice()
    if not exe:
        raise RuntimeError("soffice not found: run the README test command, which installs libreoffice-calc-nogui")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(XCU, "utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", to, "--outdir", str(outdir), str(src)]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + "." + to.split(":")[0])
    if not out.exists():
        raise RuntimeError(f"LibreOffice produced no {out.name}")
    return out


def recalc(src: Path, outdir: Path) -> Path:
    """A recalculated copy of an xlsx, with LibreOffice's own cached values."""
    return convert(src, outdir, "xlsx:Calc MS Excel 2007 XML")
