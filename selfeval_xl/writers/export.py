"""The finished scorecard workbook, written with xlsxwriter as ordered `_write_*` steps.

It keeps the unit's figures as they filled them (表5 with its own formulas, its own scores) and shows the rule's
figures beside them; a workbook with errors is written as a draft that says so on every page. Every formula
carries its computed value; user text is written as text; no macros."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from pathlib import Path

from selfeval_xl.core.catalog import BASIC
from selfeval_xl.core.money import xround
from selfeval_xl.forms.layouts import BASIC_EXPORT, BUDGET5
from selfeval_xl.writers import textfit
from selfeval_xl.writers.atomic import atomic_path
from selfeval_xl.writers.budget_copy import BudgetCopy, write_budget_copy
from selfeval_xl.writers.cellmap import CellMap
from selfeval_xl.forms.print_layouts import FINDINGS_PRINT, GOALS_PRINT
from selfeval_xl.writers.project_copy import write_project_copy
from selfeval_xl.writers.print_card import CardContext, Manual, write_dept_card, write_methods, write_project_card
from selfeval_xl.writers.scorecard import generic_title
from selfeval_xl.writers.styles import Formats, new_workbook, print_setup, write_headers

CHART_MAX_BARS = 40
SUMMARY = "汇总"
CHART_DATA = "图表数据"


def write_export(checked, target: Path, force: bool = True, threshold: Decimal = Decimal("0.9")) -> None:
    """Write the export of a validated and scored workbook. With errors left, it is a draft: 汇总 and the top
    of every printed page say 草稿 and how many errors remain."""
    with atomic_path(target, force=force) as tmp:
        wb = new_workbook(tmp)
        ex = _Export(wb, Formats(wb), checked, threshold)
        ex._write_summary()
        ex._write_scorecard()
        if checked.wb.budget:
            ex._write_budget()
        if checked.wb.goals:
            ex._write_goals()
        if checked.wb.project:
            ex._write_project()
        ex._write_basic()
        ex._write_findings()
        ex._write_methods()
        ex._write_charts()
        wb.close()


class _Export:
    def __init__(self, wb, fm, checked, threshold):
        self.wb, self.fm, self.c, self.threshold = wb, fm, checked, threshold
        self.model = checked.wb
        self.result = checked.score
        self.cmap = CellMap()
        self.errors = checked.counts()["error"]
        self.page_header = f"草稿：尚有 {self.errors} 个错误未改正" if self.errors else ""
        self.summary = wb.add_worksheet(SUMMARY)
        self.budget = BudgetCopy()
        self.card: CardContext | None = None

    # ---- 汇总
    def _write_summary(self):
        ws, fm, m, r = self.summary, self.fm, self.model, self.result
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 44)
        unit, year = str(m.info.get("UnitName") or ""), str(m.info.get("Year") or "")
        title = f"{unit} {year + ' 年度' if year else ''}绩效自评汇总{'（草稿）' if self.errors else ''}"
        ws.merge_range(0, 0, 0, 1, title, fm.title)
        ws.set_row(0, 30)
        own_total, own_grade = self._own_total()
        rows = [("单位名称", unit), ("年度", year),
                ("自评总分", float(xround(own_total)) if own_total is not None else None), ("评价等级", own_grade)]
        if r is not None:
            rows += [("按规则计算总分", float(xround(r.total))), ("按规则评价等级", r.grade)]
        rows += [(k, v) for k, v in self._key_rates()]
        counts = self.c.counts()
        rows.append(("问题数（错误/警告/提示）", f"{counts['error']} / {counts['warning']} / {counts['info']}"))
        if self.errors:
            rows.append(("状态", f"草稿：尚有 {self.errors} 个错误未改正，见“问题清单”；改正后请重新导出"))
        for i, (k, v) in enumerate(rows, start=2):
            ws.write_string(i, 0, k, fm.bold_text)
            if k == "状态":
                ws.write_string(i, 1, v, fm.draft)
                ws.set_row(i, textfit.row_height([(v, 44)], size=14))
            elif isinstance(v, float):
                ws.write_number(i, 1, v, fm.bold_score if "总分" in k else fm.pct)
            elif v is None:
                ws.write_string(i, 1, "（无数据）", fm.text)
            else:
                ws.write_string(i, 1, str(v), fm.bold_text if "等级" in k else fm.text)
        # the summary and its two charts on one portrait page
        print_setup(ws, pages_tall=1, header=self.page_header, landscape=False)
        self.summary_rows = len(rows) + 2

    def _own_total(self):
        """The unit's own total and grade as filled (the grade as written, if it wrote one); the rule's when the
        workbook holds no scores of its own."""
        r, m = self.result, self.model
        if r is None:
            return None, ""
        own = r.self_total if r.self_total is not None else r.self_sum
        if own is None:
            return r.total, r.grade
        written = (m.scorecard.grade_text if m.scorecard else "") or (m.project.grade if m.project else "")
        return own, written or r.system.grade(own)

    @cached_property
    def values(self) -> dict:
        """基础数据 by name, the derived ones recomputed (for 汇总's rates and the 基础数据 sheet)."""
        from selfeval_xl.scoring.derived import input_values

        return input_values(self.model)

    def _key_rates(self):
        v = self.values

        def ratio(a, b, comp=False):
            a, b = v.get(a), v.get(b)
            if a is None or not b:
                return None
            x = a / b
            return float(1 - x if comp else x)

        out = []
        if self.model.budget:
            out.append(("整体预算执行率", ratio("BudgetSpent", "BudgetTotal")))
            out += [("政府采购执行率", ratio("ProcActual", "ProcPlan")), ("“三公”经费控制率", ratio("ThreeActual", "ThreeBudget")),
                    ("日常公用经费控制率", ratio("OpexActual", "OpexBudget")), ("固定资产利用率", ratio("AssetIdle", "AssetTotal", True))]
        elif self.model.project:
            t = self.model.project.fund("total")
            if t and "budget" in t.cells and t.cells["budget"].value:
                out.append(("预算执行率", float(t.cells["spent"].value / t.cells["budget"].value)))
        return out

    # ---- 评分表 (printed) and 计分方法 (the methods and judgement scores its formulas read)
    def _write_scorecard(self):
        if self.result is None:
            return
        m = self.model
        manual: dict[tuple[str, ...], Manual] = {}
        total_cell, grade = None, ""
        project = m.kind == "project" and m.project is not None
        if project:
            for ind in m.project.indicators:
                if ind.manual is not None and ind.manual.parsed.kind == "number" and ind.manual.parsed.raw not in (None, ""):
                    manual[(ind.level1, ind.level2, ind.level3)] = Manual(ind.manual.value, ind.manual.addr)
            total_cell = m.project.total_score.addr if m.project.total_score else None
            grade = m.project.grade
        elif m.scorecard is not None:
            for row in m.scorecard.rows:
                manual[row.path] = Manual(row.manual.value if row.manual else None, row.manual.addr if row.manual else None)
            total_cell, grade = m.scorecard.total, m.scorecard.grade_text
        self.card = CardContext(self.wb, self.fm, self.result, m.info, self.cmap, manual, total_cell, self.page_header,
                                grade)
        if project:
            write_project_card(self.card, generic_title(self.result.system.title, "项目支出绩效自评评分表"))
        else:
            title = self.result.system.title
            if title == (m.scorecard.sheet if m.scorecard else None):  # a system read from a sheet has no title
                title = ""
            write_dept_card(self.card, generic_title(title, "部门整体支出绩效自评评分表"))

    def _write_methods(self):
        if self.card is not None:
            write_methods(self.card)

    # ---- 表5
    def _write_budget(self):
        self.budget = write_budget_copy(self.wb, self.fm, self.model.budget, self.cmap, self.threshold, self.page_header)

    # ---- 绩效目标 / 项目表
    def _write_goals(self):
        fm, lay = self.fm, GOALS_PRINT
        ws = self.wb.add_worksheet(lay.name)
        ws.merge_range(0, 0, 0, len(lay.columns) - 1, lay.title, fm.title)
        write_headers(ws, fm, lay)
        keys = ("level1", "level2", "level3", "target", "actual", "note")
        for r, g in enumerate(self.model.goals.rows, start=lay.header_row + 1):
            texts = [str(getattr(g, k)) for k in keys]
            for k, text in zip(keys, texts):
                ws.write_string(r, lay.col(k), text, fm.text)
                if k not in ("level1", "level2"):  # those two are carried down merged cells in the source
                    self.cmap.add(g.addr.get(k), lay.name, r, lay.col(k))
            ws.set_row(r, textfit.row_height([(t, w) for t, w in zip(texts, lay.widths)]))
        print_setup(ws, (lay.header_row, lay.header_row), header=self.page_header)

    def _write_project(self):
        write_project_copy(self.wb, self.fm, self.model, self.cmap, self.page_header)

    # ---- 基础数据 (the defined names the 评分表 formulas use)
    def _write_basic(self):
        if self.card is None or self.model.kind == "project":
            return
        fm, lay = self.fm, BASIC_EXPORT
        ws = self.wb.add_worksheet(lay.name)
        vals = self.values
        write_headers(ws, fm, lay)
        for i, inp in enumerate(BASIC, start=lay.header_row + 1):
            ws.write_string(i, lay.col("label"), inp.label, fm.text)
            v = vals.get(inp.name)
            if v is None:
                ws.write_blank(i, lay.col("value"), None, fm.money)
            else:
                ws.write_number(i, lay.col("value"), float(v), fm.money)
            src = self.model.basic.get(inp.name)
            if src is not None and src.parsed.kind == "number" and v is not None and src.parsed.value == v:
                self.cmap.add(src.addr, lay.name, i, lay.col("value"))
            ws.write_string(i, lay.col("unit"), inp.unit, fm.text)
            ws.write_string(i, lay.col("name"), inp.name, fm.text)
            self.wb.define_name(inp.name, f"='{lay.name}'!${lay.letter('value')}${i + 1}")
        print_setup(ws, (lay.header_row, lay.header_row), header=self.page_header, landscape=False)  # one page

    # ---- 问题清单
    def _write_findings(self):
        fm, lay = self.fm, FINDINGS_PRINT
        ws = self.wb.add_worksheet(lay.name)
        write_headers(ws, fm, lay)
        findings = self.c.all_findings
        if not findings:
            ws.write_string(lay.header_row + 1, 0, "无", fm.text)
            ws.merge_range(lay.header_row + 1, 1, lay.header_row + 1, len(lay.columns) - 1, "未发现问题", fm.text)
        for r, f in enumerate(findings, start=lay.header_row + 1):
            ws.write_string(r, lay.col("severity"), f.severity.zh, fm.text)
            ws.write_string(r, lay.col("rule"), f.rule, fm.text)
            there = self.cmap.get(f.cell)
            # A link opens this workbook's cell showing what the source cell showed; the message names the
            # source cell. A cell the export does not show as filled is named plainly instead.
            label = str(there) if there is not None else f"原表 {f.cell}"
            if there is not None:
                ws.write_url(r, lay.col("cell"), f"internal:{there.qualified()}", fm.link, label)
            else:
                ws.write_string(r, lay.col("cell"), label, fm.text)
            ws.write_string(r, lay.col("message"), f.message, fm.text)
            ws.set_row(r, textfit.row_height([(f.message, lay.widths[lay.col("message")]),
                                              (label, lay.widths[lay.col("cell")])]))
        print_setup(ws, (lay.header_row, lay.header_row), header=self.page_header)

    # ---- charts
    def _write_charts(self):
        ws = self.summary
        data = self.wb.add_worksheet(CHART_DATA)
        data.hide()
        row = 0
        # A bar per budget line stays readable up to CHART_MAX_BARS; a longer 表5 is charted by 小计/总计.
        lines = self.budget.details if len(self.budget.details) <= CHART_MAX_BARS else self.budget.totals
        place = (self.summary_rows + 1, 0)
        if lines:
            data.write_string(0, 0, "预算项目")
            data.write_string(0, 1, "执行进度")
            data.write_string(0, 2, "参考线")
            rate = BUDGET5.letter("rate")
            for i, cell in enumerate(lines, start=1):
                data.write_string(i, 0, _short(cell.label))
                value = float(cell.rate or 0)
                if cell.live:
                    ref = f"'{BUDGET5.name}'!{rate}{cell.row0 + 1}"
                    data.write_formula(i, 1, f"=IF(ISNUMBER({ref}),{ref},0)", None, value)
                else:
                    data.write_number(i, 1, value)
                data.write_number(i, 2, float(self.threshold))
            n = len(lines)
            ch = self.wb.add_chart({"type": "column"})
            ch.add_series({"name": "执行进度", "categories": [CHART_DATA, 1, 0, n, 0], "values": [CHART_DATA, 1, 1, n, 1]})
            line = self.wb.add_chart({"type": "line"})
            line.add_series({"name": f"{float(self.threshold) * 100:.0f}% 参考线", "categories": [CHART_DATA, 1, 0, n, 0],
                             "values": [CHART_DATA, 1, 2, n, 2], "line": {"color": "#C00000", "dash_type": "dash"}})
            ch.combine(line)
            ch.set_title({"name": "各预算项目执行进度", "name_font": {"size": 11}})
            ch.set_y_axis({"num_format": "0%", "min": 0, "num_font": {"size": 9}})
            ch.set_x_axis({"num_font": {"size": 8, "rotation": -45}})
            ch.set_legend({"position": "bottom", "font": {"size": 9}})
            ch.set_size({"width": 480, "height": 270})
            ws.insert_chart(*place, ch)
            row = n + 2
        if self.result:
            roots = self.result.by_root()
            data.write_string(row, 0, "一级指标")
            data.write_string(row, 1, "分值")
            data.write_string(row, 2, "得分")
            for i, (name, mx, sc) in enumerate(roots, start=row + 1):
                data.write_string(i, 0, name)
                data.write_number(i, 1, float(mx))
                data.write_number(i, 2, float(xround(sc)))
            ch = self.wb.add_chart({"type": "bar"})
            a, b = row + 1, row + len(roots)
            ch.add_series({"name": "分值", "categories": [CHART_DATA, a, 0, b, 0], "values": [CHART_DATA, a, 1, b, 1]})
            ch.add_series({"name": "按规则得分", "categories": [CHART_DATA, a, 0, b, 0], "values": [CHART_DATA, a, 2, b, 2]})
            ch.set_title({"name": "一级指标得分与分值", "name_font": {"size": 11}})
            ch.set_x_axis({"num_font": {"size": 9}})
            ch.set_y_axis({"num_font": {"size": 9}})
            ch.set_legend({"position": "bottom", "font": {"size": 9}})
            ch.set_size({"width": 480, "height": 270})
            ws.insert_chart(place[0] + (15 if lines else 0), 0, ch)


def _short(label: str, n: int = 8) -> str:
    """A chart category: long 预算项目 names cut to n characters, so the bars keep their room."""
    return label if len(label) <= n else label[:n - 1] + "…"
