"""Issue 5: the export printed by LibreOffice headless — each sheet one page wide, every indicator row present."""

import re

import pytest

from conftest import needs_lo
from golden.update import build
from lo import convert

pypdf = pytest.importorskip("pypdf")

# The first and last header of each sheet that repeats its header rows on every page.
EDGES = {"评分表": ("一级指标", "计算过程"), "表5": ("分类", "行类型"), "绩效目标": ("一级指标", "完成偏差说明"),
         "基础数据": ("项目", "名称"), "问题清单": ("级别", "说明")}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate

    d = tmp_path_factory.mktemp("print")
    xlsx = build(d)
    checked = validate(d / "示例_部门整体支出绩效自评.xlsx")
    result = score(checked)
    pdf = convert(xlsx, d / "pdf", "pdf")
    pages = [p.extract_text() for p in pypdf.PdfReader(pdf).pages]
    return pages, result


@needs_lo
def test_each_sheet_is_one_page_wide(printed):
    pages, _ = printed
    assert "第 1 页 共" in pages[0], "a Chinese font is needed to print: run the README test command (fonts-wqy-microhei)"
    summary = [p for p in pages if "自评总分" in p or "一级指标得分与分值" in p]
    assert len(summary) == 1 and "自评总分" in summary[0] and "一级指标得分与分值" in summary[0]
    seen = set()
    for i, text in enumerate(pages):
        head = squash(text[:400])
        for sheet, (left, right) in EDGES.items():
            if squash(left + "") in head and squash(right) in squash(text):
                seen.add(sheet)
        # A page cut off on the right would carry the left header without the right one, or the reverse.
        assert ("计算过程" in text) == ("指标说明" in text and "自评得分" in text), f"page {i + 1} splits 评分表"
        assert ("行类型" in text) == ("执行率差额原因" in text and "部门预算指标" in text), f"page {i + 1} splits 表5"
    assert seen == set(EDGES), f"sheets whose header was not found whole: {set(EDGES) - seen}"


@needs_lo
def test_the_scorecard_prints_every_indicator_row(printed):
    pages, result = printed
    card = squash("".join(p for p in pages if "计算过程" in p))
    missing = [i.path[-1] for i in result.items if squash(i.path[-1]) not in card]
    assert not missing and len(result.items) == 21
    assert "95.41" in card and "优" in card
