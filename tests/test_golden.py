"""Issue 5: the demo's export equals the golden reference, part by part (XlsxWriter's comparison style).

Volatile parts are normalised: the dates in docProps/core.xml and the calcPr element of xl/workbook.xml.
A deliberate change of output is a deliberate change of the reference: `python3 tests/golden/update.py`."""

import re
import zipfile

from golden.update import REFERENCE, build

_VOLATILE = [
    ("docProps/core.xml", re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)"), r"\1\2"),
    ("xl/workbook.xml", re.compile(r"<calcPr\b[^>]*/>"), ""),
]


def parts(path) -> dict[str, str]:
    """Every XML part of an xlsx as text, with the volatile bits removed."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8")
            for part, pattern, repl in _VOLATILE:
                if name == part:
                    text = pattern.sub(repl, text)
            out[name] = text
    return out


def first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at char {i}: reference …{a[max(0, i - 60):i + 60]}… / now …{b[max(0, i - 60):i + 60]}…"


def test_demo_export_matches_the_golden_reference(tmp_path):
    expected, got = parts(REFERENCE), parts(build(tmp_path))
    assert sorted(got) == sorted(expected), "the export's set of parts changed"
    for name in sorted(expected):
        assert got[name] == expected[name], (
            f"{name} differs {first_difference(expected[name], got[name])}; "
            "if the change is deliberate, run `python3 tests/golden/update.py` and commit the reference")


def test_the_normalisation_only_removes_volatile_parts(tmp_path):
    """A changed figure in a sheet must still be caught: the comparison is not vacuous."""
    src = build(tmp_path)
    bumped = tmp_path / "bumped.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bumped, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT", b"1999-01-01T", data)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>95.41</v>", b"<v>95.42</v>", 1)
            zout.writestr(item, data)
    a, b = parts(src), parts(bumped)
    assert a["docProps/core.xml"] == b["docProps/core.xml"]
    assert a["xl/worksheets/sheet1.xml"] != b["xl/worksheets/sheet1.xml"]
