"""Issues 5 and 13: the export printed by LibreOffice headless, checked the way a person reads the paper — text
sizes, text running over a cell border or over other text, empty pages, the 评分表 whole and without the
method syntax, the signature block — measured with pdfplumber on the PDF."""

import re
from decimal import Decimal

import pytest

from conftest import needs_lo
from golden.update import build
from lo import convert

pdfplumber = pytest.importorskip("pdfplumber")

MIN_PT = 8.0
FOOTER = re.compile(r"^第\d+页共\d+页$")
# Headers each sheet repeats on every page (first and last column), to tell the pages apart.
SHEETS = {"评分表": ("一级指标", "计算过程", "评分标准"), "表5": ("分类", "行类型", "执行率差额原因"),
          "绩效目标": ("一级指标", "完成偏差说明", "指标值"), "基础数据": ("项目", "名称", "数值"),
          "问题清单": ("级别", "说明", "规则"), "计分方法": ("指标说明", "手工得分", "计分方法")}
METHOD_SYNTAX = ("分子=", "分母=", "ProcActual", "手工(分=", "比率(", "分档(")


COLUMNS = ("三级指标", "评分标准", "执行率差额原因")  # columns read on their own (wrapped lines of a cell stay together)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def column_text(page, header: str) -> str:
    """The text between the cell borders left and right of a column's header, top to bottom."""
    hits = page.search(header)
    if not hits:
        return ""
    x0, x1 = hits[0]["x0"], hits[0]["x1"]
    xs = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
    left = max((x for x in xs if x <= x0 + 0.5), default=0)
    right = min((x for x in xs if x >= x1 - 0.5), default=page.width)
    return page.crop((left, 0, right, page.height)).extract_text() or ""


class Page:
    """One printed page: its text, its characters and the ruling lines of its cells."""

    def __init__(self, number: int, page):
        self.number = number
        self.text = page.extract_text() or ""
        # Characters outside the page are not printed (a merged cell's text seen from its next page).
        self.chars = [c for c in page.chars if c["text"].strip() and c["top"] >= 0 and c["bottom"] <= page.height]
        self.edges = page.edges
        self.columns = {h: column_text(page, h) for h in COLUMNS}

    @property
    def body(self):
        """Characters other than the page-number footer and the draft's page header."""
        lines = {}
        for c in self.chars:
            lines.setdefault(round(c["top"]), []).append(c)
        out = []
        for chars in lines.values():
            text = squash("".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])))
            if not FOOTER.match(text) and not text.startswith("草稿："):
                out += chars
        return out

    def sheet(self) -> str | None:
        head = squash(self.text)
        hits = [name for name, words in SHEETS.items() if all(w in head for w in words)]
        return hits[0] if len(hits) == 1 else ("评分表" if "评分表" in hits else None)


def overlapping(chars) -> list[tuple[str, str]]:
    """Pairs of characters whose boxes cover each other by more than a quarter (bucketed by position)."""
    grid: dict[tuple[int, int], list] = {}
    for c in chars:
        grid.setdefault((int(c["x0"] // 20), int(c["top"] // 20)), []).append(c)
    out = []
    for (gx, gy), cell in grid.items():
        near = [d for dx in (-1, 0, 1) for dy in (-1, 0, 1) for d in grid.get((gx + dx, gy + dy), [])]
        for a in cell:
            for b in near:
                if a is b or id(a) > id(b):
                    continue
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                small = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
                if w > 0 and h > 0 and w * h > 0.25 * small:
                    out.append((a["text"], b["text"]))
    return out


def crossing_borders(page: Page) -> list[str]:
    """Characters cut by a cell border: text that ran out of its row (or column) into the next one."""
    out = []
    h_edges = [e for e in page.edges if e["orientation"] == "h"]
    v_edges = [e for e in page.edges if e["orientation"] == "v"]
    for c in page.body:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        inset = (c["bottom"] - c["top"]) * 0.25
        for e in h_edges:
            if e["x0"] < cx < e["x1"] and c["top"] + inset < e["top"] < c["bottom"] - inset:
                out.append(f"{c['text']}@{cx:.0f},{cy:.0f}")
        inset = (c["x1"] - c["x0"]) * 0.25
        for e in v_edges:
            if e["top"] < cy < e["bottom"] and c["x0"] + inset < e["x0"] < c["x1"] - inset:
                out.append(f"{c['text']}@{cx:.0f},{cy:.0f}")
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate

    d = tmp_path_factory.mktemp("print")
    xlsx = build(d)
    result = score(validate(d / "示例_部门整体支出绩效自评.xlsx"))
    pdf = convert(xlsx, d / "pdf", "pdf")
    with pdfplumber.open(pdf) as doc:
        pages = [Page(i + 1, p) for i, p in enumerate(doc.pages)]
    return pages, result


@needs_lo
def test_every_sheet_prints_whole_and_legible(printed):
    pages, _ = printed
    assert "第1页共" in squash(pages[0].text), "a Chinese font is needed to print: run the README test command"
    kinds = [p.sheet() for p in pages]
    summary = [p for p in pages if "自评总分" in p.text]
    assert len(summary) == 1 and "一级指标得分与分值" in summary[0].text, "汇总 and its charts on one page"
    assert {k for k in kinds if k} == set(SHEETS), kinds
    for p in pages:
        assert p.body, f"page {p.number} is blank"
        assert "###" not in p.text, f"page {p.number} shows ### for a number too wide for its column"
        sizes = [c["size"] for c in p.body]
        assert min(sizes) >= MIN_PT, f"page {p.number} ({p.sheet()}) prints text at {min(sizes):.1f} pt"
        assert not overlapping(p.body), f"page {p.number}: text over text {overlapping(p.body)[:5]}"
        assert not crossing_borders(p), f"page {p.number}: text over a cell border {crossing_borders(p)[:8]}"
    for p in pages:  # the header row repeats: no page carries one edge of a sheet's header without the other
        text = squash(p.text)
        assert ("计算过程" in text) == ("评分标准" in text and "三级指标" in text), f"page {p.number} splits 评分表"
        assert ("行类型" in text) == ("执行率差额原因" in text and "预算项目" in text), f"page {p.number} splits 表5"


@needs_lo
def test_the_scorecard_prints_every_row_and_its_criteria_in_full(printed):
    pages, result = printed
    card = [p for p in pages if p.sheet() == "评分表"]
    text = squash("".join(p.text for p in card))
    names = squash("".join(p.columns["三级指标"] for p in card))
    criteria = squash("".join(p.columns["评分标准"] for p in card))
    leaves = dict((tuple(path), leaf) for path, leaf in result.system.leaves())
    missing = [i.path[-1] for i in result.items if squash(i.path[-1]) not in names]
    assert not missing and len(result.items) == 21, missing
    cut = [i.path[-1] for i in result.items if squash(leaves[tuple(i.path)].criteria) not in criteria]
    assert not cut, f"评分标准 not printed in full: {cut}"
    assert "95.41" in text and "优" in text
    assert not [s for s in METHOD_SYNTAX if s in text], "method syntax on the printed 评分表"
    methods = squash("".join(p.text for p in pages if p.sheet() == "计分方法"))
    assert "分子=AssetIdle" in methods and "手工(分=5)" in methods
    last = squash(card[-1].text)
    for word in ("填报人：示例填报人", "审核人：", "单位负责人：", "填报日期：", "单位（盖章）："):
        assert word in last, word


@needs_lo
def test_every_reason_in_table5_prints_in_full(printed):
    """A row too short for its wrapped text is cut at the cell's border: the cut text is not printed at all."""
    from selfeval_xl.app.demo import example_data

    pages, _ = printed
    column = squash("".join(p.columns["执行率差额原因"] for p in pages if p.sheet() == "表5"))
    reasons = [r["reason"] for block in example_data()["budget"] for r in block["rows"] if r.get("reason")]
    assert len(reasons) == 5 and "1,947.96万元至区发改局统筹使用" in squash(reasons[1])
    assert not [r for r in reasons if squash(r) not in column]


@needs_lo
def test_body_text_sizes(printed):
    """The 评分表's body text is the 10 pt it was written in, scaled no further than to 8 pt."""
    pages, _ = printed
    sizes = [Decimal(str(round(c["size"], 1))) for p in pages if p.sheet() == "评分表" for c in p.body]
    assert min(sizes) >= MIN_PT
    common = max(set(sizes), key=sizes.count)
    assert common >= MIN_PT and common <= 10, common
