"""The parts calamine parses when it opens a workbook — _rels/.rels, workbook.xml and its relationships,
styles.xml and sharedStrings.xml (found by trying each) — read and checked first: each sheet's part resolved the way calamine resolves it and kept
inside the package, the styles that indent or show a percent, and how long the shared strings are."""

from __future__ import annotations

import itertools
import re
from xml.parsers import expat

from selfeval_xl.sources.grid import percent_places
from selfeval_xl.sources.package import (
    CELL_TEXT,
    MAX_SHEETS,
    Package,
    broken,
    shown,
    too_big,
)
from selfeval_xl.sources.sheet_xml import (
    cell_too_long,
    check_texts,
    text_chars,
    unescape,
)

_NUMFMT = re.compile(rb"""<numFmt\b(?:[^<>"']|"[^"]*"|'[^']*')*>""")
_ATTR = re.compile(rb'\b(numFmtId|formatCode|indent)="([^"]*)"')
_BUILTIN_PERCENT = {9: 0, 10: 2}  # 0% and 0.00%
_SI = rb"<(?:[\w.-]+:)?si\b"  # these only where shared strings are: compiled there
_HAS_TEXT = rb"<(?:[\w.-]+:)?t[\s>/]"
_PHONETIC = rb"(?s)<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>"


def _elements(xml: bytes, wanted: tuple[str, ...]) -> list[tuple[str, dict[str, str], str]]:
    """(local name, attributes, text) of every element with one of the wanted local names, in document order.
    Namespaced attributes keep their namespace ("…}id"). expat directly rather than ElementTree: the three
    elements needed do not call for a tree, and ElementTree's import alone was 4% of a small validate."""
    out: list[tuple[str, dict[str, str], str]] = []
    text: list[str] | None = None

    def start(tag, attrs):
        nonlocal text
        local = tag.rpartition("}")[2]
        if local in wanted:
            text = []
            out.append((local, attrs, ""))

    def end(tag):
        nonlocal text
        if text is not None and tag.rpartition("}")[2] == out[-1][0]:
            out[-1] = out[-1][:2] + ("".join(text),)
            text = None

    def chars(data):
        if text is not None:
            text.append(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    parser.Parse(xml, True)
    return out


class Structure:
    """{sheet: part} for every sheet, the workbook-level defined names, the date system, and the cellXfs
    indices that indent or show a percent ({index: decimals shown})."""

    def __init__(self, parts: dict[str, str], names: list[tuple[str, str]], date1904: bool = False):
        self.parts, self.names, self.date1904 = parts, names, date1904
        self.indent: set[int] = set()
        self.percent: dict[int, int] = {}


def read_structure(pkg: Package) -> Structure:
    """workbook.xml and its relationships: refuse a sheet whose part lies outside the package or is missing."""
    for part in ("_rels/.rels", "xl/_rels/workbook.xml.rels"):  # calamine reads both on opening
        if not pkg.has(part):
            raise broken(pkg.name, f"缺少 {part}")
    pkg.read_xml("_rels/.rels")
    book = pkg.read_xml("xl/workbook.xml")
    rels = pkg.read_xml("xl/_rels/workbook.xml.rels")
    try:
        wb, rel = _elements(book, ("sheet", "definedName")), _elements(rels, ("Relationship",))
    except expat.ExpatError as e:
        raise broken(pkg.name, f"工作簿结构的 XML 有误，在第 {e.lineno} 行第 {e.offset + 1} 列") from None
    targets = {a.get("Id"): a.get("Target") or "" for _, a, _ in rel}
    parts: dict[str, str] = {}
    for s in (a for tag, a, _ in wb if tag == "sheet"):
        rid = next((v for k, v in s.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        # calamine's rule: "/xl/…" and "xl/…" as they are, anything else under xl/
        part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
        name = s.get("name") or ""
        if ".." in part.split("/") or "\\" in part or ":" in part:
            raise broken(pkg.name, f"工作表“{shown(name)}”指向工作簿以外的 {shown(target)}")
        if part.split("/")[1:2] == ["worksheets"] and not pkg.has(part):
            raise broken(pkg.name, f"工作表“{shown(name)}”的内容 {shown(part)} 不存在")
        parts[name] = part
    if len(parts) > MAX_SHEETS:
        raise too_big(pkg.name, f"有 {len(parts):,} 个工作表（上限 {MAX_SHEETS:,}）")
    names = [(a.get("name"), text.strip()) for tag, a, text in wb if tag == "definedName" and "localSheetId" not in a]
    pr = re.search(rb"<workbookPr\b[^<>]*>", book)  # calamine reads the unprefixed element only
    date1904 = bool(pr and re.search(rb'\bdate1904="(?:1|true)"', pr.group(0)))
    st = Structure(parts, names, date1904)
    if pkg.has("xl/styles.xml"):
        st.indent, st.percent = _styles(pkg.read_xml("xl/styles.xml"))
    return st


def _styles(xml: bytes) -> tuple[set[int], dict[int, int]]:
    """The cellXfs indices that indent, and those whose number format shows a percent (with its decimals).
    Linear in the part: every search is bounded by the next tag."""
    custom = {}
    for m in _NUMFMT.finditer(xml):
        a = dict(_ATTR.findall(m.group(0)))
        if b"numFmtId" in a and b"formatCode" in a and a[b"numFmtId"].isdigit():
            custom[int(a[b"numFmtId"])] = unescape(a[b"formatCode"])
    start = xml.find(b"<cellXfs")
    end = xml.find(b"</cellXfs>", start)
    if start < 0 or end < 0:
        return set(), {}
    block = xml[start:end]
    starts = [m.start() for m in re.finditer(rb"<xf\b", block)] + [len(block)]
    indent, percent = set(), {}
    for i, (a, b) in enumerate(itertools.pairwise(starts)):
        xf = block[a:b]  # the xf and its children, up to the next xf
        head = xf[:xf.find(b">") + 1]
        ind = re.search(rb'\bindent="(\d+)"', xf)
        if ind and int(ind.group(1)) > 0:
            indent.add(i)
        fid = re.search(rb'\bnumFmtId="(\d+)"', head)
        if fid:
            n = int(fid.group(1))
            places = _BUILTIN_PERCENT.get(n, percent_places(custom.get(n)))
            if places is not None:
                percent[i] = places
    return indent, percent


class SharedStrings:
    """How long each shared string is at most (its bytes; counted exactly when that is more than a cell may
    hold), so that the text the cells referring to them make can be bounded before calamine makes it."""

    def __init__(self, name: str, xml: bytes):
        check_texts(name, "共享字符串", xml)
        self._pieces = re.split(_SI, xml)[1:]
        self.lengths = [len(p) for p in self._pieces]
        for i, n in enumerate(self.lengths):
            if n > CELL_TEXT:
                self.lengths[i] = chars = _chars(self._pieces[i])
                if chars > CELL_TEXT:
                    raise cell_too_long(name, "共享字符串", chars)
        self.longest = max(self.lengths, default=0)
        self._aligned: list[int] | None = None

    def by_index(self) -> list[int]:
        """The lengths by calamine's index: an <si> without any <t> is skipped there."""
        if self._aligned is None:
            has_text = re.compile(_HAS_TEXT).search
            self._aligned = [n for n, p in zip(self.lengths, self._pieces) if has_text(p)]
        return self._aligned


def _chars(piece: bytes) -> int:
    return text_chars(re.sub(rb"<[^>]*>", b"", re.sub(_PHONETIC, b"", piece)))
