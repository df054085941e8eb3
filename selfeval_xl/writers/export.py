"""The finished scorecard workbook, written with xlsxwriter as ordered `_write_*` steps.

Every formula carries its computed value; user text is written as text; no macros."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.core.catalog import BASIC
from selfeval_xl.core.money import xround
from selfeval_xl.forms.layouts import BASIC_EXPORT, BUDGET5, FINDINGS, GOALS, PROJECT_INDICATORS, PROJECT_SCORES
from selfeval_xl.writers import budget_sheet as b5
from selfeval_xl.writers.atomic import atomic_path
from selfeval_xl.writers.scorecard import write_scorecard
from selfeval_xl.writers.styles import Formats, new_workbook, num, print_setup, write_headers

CHART_MAX_BARS = 40


def write_export(checked, target: Path, force: bool = True, threshold: Decimal = Decimal("0.9")) -> None:
    with atomic_path(target, force=force) as tmp:
        wb = new_workbook(tmp)
        fm = Formats(wb)
        ex = _Export(wb, fm, checked, threshold)
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
        ex._write_charts()
        wb.close()


class _Export:
    def __init__(self, wb, fm, checked, threshold):
        self.wb, self.fm, self.c, self.threshold = wb, fm, checked, threshold
        self.model = checked.wb
        self.result = checked.score
        self.summary = wb.add_worksheet("汇总")
        self.rate_rows: list[tuple[str, int, Decimal | None]] = []  # (label, 0-based row, rate) of 表5 detail rows
        self.total_rows: list[tuple[str, int, Decimal | None]] = []  # the same for 小计 and 总计 rows
        self.sc_layout = None

    # ---- 汇总
    def _write_summary(self):
        ws, fm, m, r = self.summary, self.fm, self.model, self.result
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 40)
        ws.merge_range(0, 0, 0, 5, f"{m.info.get('UnitName', '')} {m.info.get('Year', '')} 年度绩效自评汇总", fm.title)
        rows = [("单位名称", m.info.get("UnitName", ""), fm.text), ("年度", str(m.info.get("Year", "")), fm.text),
                ("自评总分", num(xround(r.total)) if r else "", fm.bold_score), ("评价等级", r.grade if r else "", fm.bold_text)]
        rows += [(k, v, fm.pct) for k, v in self._key_rates()]
        counts = self.c.counts()
        rows.append(("问题数（错误/警告/提示）", f"{counts['error']} / {counts['warning']} / {counts['info']}", fm.text))
        for i, (k, v, f) in enumerate(rows, start=2):
            ws.write_string(i, 0, k, fm.bold_text)
            if isinstance(v, float):
                ws.write_number(i, 1, v, f)
            elif v is None:
                ws.write_string(i, 1, "（无数据）", fm.text)
            else:
                ws.write_string(i, 1, str(v), f if f in (fm.text, fm.bold_text) else fm.text)
        print_setup(ws, pages_tall=1)  # the summary and its two charts on one sheet of paper
        self.summary_rows = len(rows) + 2

    def _key_rates(self):
        from selfeval_xl.app.score import input_values

        v = input_values(self.model)

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
            t = next((f for f in self.model.project.funds if "年度资金总额" in f.label), None)
            if t and "budget" in t.cells and t.cells["budget"].value:
                out.append(("预算执行率", float(t.cells["spent"].value / t.cells["budget"].value)))
        return out

    # ---- 评分表
    def _write_scorecard(self):
        if self.result is None:
            return
        ws = self.wb.add_worksheet("评分表")
        system = self.result.system
        manual = {}
        if self.model.scorecard is not None:
            manual = {row.path: row.manual.value if row.manual else None for row in self.model.scorecard.rows}
        if self.model.kind == "project" and self.model.project is not None:
            self._write_project_scorecard(ws)
        else:
            self.sc_layout = write_scorecard(ws, self.fm, system, self.result, manual, title=system.title or "评分表")
        print_setup(ws, (1, 1))

    def _write_project_scorecard(self, ws):
        fm = self.fm
        lay = PROJECT_SCORES
        for c, col in enumerate(lay.columns):
            ws.write_string(lay.header_row, c, col.header, fm.header)
            ws.set_column(c, c, col.width)
        ws.merge_range(0, 0, 0, len(lay.columns) - 1, lay.title, fm.title)
        r = 2
        for item in self.result.items:
            path = (item.path + ["", "", ""])[:3]
            for c, t in enumerate(path):
                ws.write_string(r, c, t, fm.text)
            ws.write_number(r, lay.col("points"), float(item.max), fm.score)
            ws.write_number(r, lay.col("score"), float(item.score or 0), fm.score)
            ws.write_string(r, lay.col("method"), item.method, fm.text)
            ws.write_string(r, lay.col("explain"), item.explanation, fm.text)
            r += 1
        P, S = lay.letter("points"), lay.letter("score")
        ws.write_string(r, 0, "合计", fm.bold_text)
        ws.write_formula(r, lay.col("points"), f"=SUM({P}3:{P}{r})", fm.bold_score, float(sum(i.max for i in self.result.items)))
        ws.write_formula(r, lay.col("score"), f"=SUM({S}3:{S}{r})", fm.bold_score, float(self.result.total))
        ws.write_string(r + 1, 0, "评价等级", fm.bold_text)
        ws.write_string(r + 1, lay.col("score"), self.result.grade, fm.bold_text)
        self.sc_layout = None
        self.project_score_rows = (2, r - 1)

    # ---- 表5
    def _write_budget(self):
        """One pass: details carry their own formulas; 小计 and 总计 are SUMIF over the block by 行类型,
        so formula length does not grow with the number of rows."""
        fm, t, col = self.fm, self.model.budget, BUDGET5.col
        ws = self.wb.add_worksheet(BUDGET5.name)
        b5.write_header(ws, fm, t.unit)
        top = BUDGET5.header_row + 1
        first = r = top
        block = [Decimal(0)] * 7  # the current block's details, in FIGURE_KEYS order
        subs = [Decimal(0)] * 7  # the same summed over 小计 rows
        n_subs = 0
        for row in t.rows:
            R = r + 1
            total_row = row.kind in ("subtotal", "grand")
            mf, pf, tf = (fm.bold_money, fm.bold_pct, fm.bold_text) if total_row else (fm.money, fm.pct, fm.text)
            ws.write_string(r, col("category"), (row.label or row.category) if total_row else row.category, tf)
            ws.write_string(r, col("item"), "" if total_row else row.label, tf)
            if not total_row:
                figs = [row.get(f) for f in b5.INPUT_KEYS]
                spent = row.get("spent")
                total = sum(figs, Decimal(0))
                for key, f in zip(b5.INPUT_KEYS + ("spent",), figs + [spent]):
                    ws.write_number(r, col(key), float(f), mf)
                figs += [total, spent, total - spent]
                ws.write_formula(r, col("total"), b5.total_formula(R), mf, float(total))
                ws.write_formula(r, col("remaining"), b5.remaining_formula(R), mf, float(total - spent))
                ws.write_string(r, col("kind"), "其中" if row.kind == "child" else "", fm.text)
                if row.kind == "detail":
                    block = [a + b for a, b in zip(block, figs)]
                self.rate_rows.append((row.label, r, None if total == 0 else spent / total))
            else:
                if row.kind == "subtotal":
                    figs, crit, lo = block, '"<>其中"', first
                elif n_subs:
                    figs, crit, lo = subs, '"小计"', top
                else:
                    figs, crit, lo = block, '"<>其中"', top
                for key, f in zip(b5.FIGURE_KEYS, figs):
                    expr = b5.block_sum(key, lo + 1, r, crit) if lo < r else "0"  # an empty block
                    ws.write_formula(r, col(key), f"={expr}", mf, float(f))
                ws.write_string(r, col("kind"), "小计" if row.kind == "subtotal" else "总计", fm.text)
                total, spent = figs[4], figs[5]
                self.total_rows.append((row.label or row.category, r, None if total == 0 else spent / total))
                if row.kind == "subtotal":
                    subs = [a + b for a, b in zip(subs, block)]
                    n_subs += 1
                    block, first = [Decimal(0)] * 7, r + 1
            ws.write_formula(r, col("rate"), b5.rate_formula(R), pf, "" if total == 0 else float(spent / total))
            ws.write_string(r, col("reason"), row.reason, fm.text)
            r += 1
        last = r - 1
        J, H, G = BUDGET5.letter("rate"), BUDGET5.letter("spent"), BUDGET5.letter("total")
        ws.conditional_format(top, col("rate"), last, col("rate"), {
            "type": "formula", "criteria": f"=AND(ISNUMBER(${J}{top + 1}),${J}{top + 1}<{self.threshold})", "format": fm.warn})
        ws.conditional_format(top, col("spent"), last, col("spent"), {
            "type": "formula", "criteria": f"=${H}{top + 1}>${G}{top + 1}+0.005", "format": fm.bad})
        ws.freeze_panes(top, col("budget"))
        print_setup(ws, (BUDGET5.header_row, BUDGET5.header_row))
        self.b5_last = last

    # ---- 绩效目标 / 项目表
    def _write_goals(self):
        fm = self.fm
        ws = self.wb.add_worksheet(GOALS.name)
        ws.merge_range(0, 0, 0, len(GOALS.columns) - 1, GOALS.title, fm.title)
        write_headers(ws, fm, GOALS)
        for r, g in enumerate(self.model.goals.rows, start=GOALS.header_row + 1):
            for c, v in enumerate((g.level1, g.level2, g.level3, g.target, g.actual, g.note)):
                ws.write_string(r, c, str(v), fm.text)
        print_setup(ws, (GOALS.header_row, GOALS.header_row))

    def _write_project(self):
        fm, p, lay = self.fm, self.model.project, PROJECT_INDICATORS
        shown = lay.columns[:lay.col("note") + 1]  # the form's columns; 定性得分 is our input, not the form's
        ws = self.wb.add_worksheet("项目自评表")
        ws.merge_range(0, 0, 0, len(shown) - 1, lay.title, fm.title)
        for c, col in enumerate(shown):
            ws.set_column(c, c, col.width)
        r = 1
        for k, zh in (("ProjectName", "项目名称"), ("Department", "主管部门"), ("Implementer", "实施单位")):
            ws.write_string(r, 0, zh, fm.bold_text)
            ws.merge_range(r, 1, r, len(shown) - 1, str(p.header.get(k, "")), fm.text)
            r += 1
        for c, h in enumerate(("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率")):
            ws.write_string(r, c, h, fm.header)
        r += 1
        for f in p.funds:
            ws.write_string(r, 0, f.label, fm.text)
            for c, k in ((1, "plan"), (2, "budget"), (3, "spent")):
                ws.write_number(r, c, float(f.cells[k].value) if k in f.cells else 0, fm.money)
            a, b = (f.cells["budget"].value if "budget" in f.cells else 0), (f.cells["spent"].value if "spent" in f.cells else 0)
            ws.write_formula(r, 4, f'=IF(C{r + 1}=0,"",D{r + 1}/C{r + 1})', fm.pct, "" if not a else float(b / a))
            r += 1
        r += 1
        for c, col in enumerate(shown):
            ws.write_string(r, c, col.header, fm.header)
        r += 1
        scores = {tuple(i.path): i for i in self.result.items} if self.result else {}
        for ind in p.indicators:
            vals = (ind.level1, ind.level2, ind.level3, ind.nature, ind.target, ind.unit, ind.actual)
            for key, v in zip(("level1", "level2", "level3", "nature", "target", "unit", "actual"), vals):
                ws.write_string(r, lay.col(key), "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)), fm.text)
            ws.write_number(r, lay.col("points"), float(ind.points.value) if ind.points else 0, fm.score)
            it = scores.get((ind.level1, ind.level2, ind.level3))
            ws.write_number(r, lay.col("score"), float(it.score or 0) if it else 0, fm.score)
            ws.write_string(r, lay.col("note"), ind.reason, fm.text)
            r += 1
        print_setup(ws)

    # ---- 基础数据 (the defined names the 评分表 formulas use)
    def _write_basic(self):
        if self.sc_layout is None:
            return
        from selfeval_xl.app.score import input_values

        fm, lay = self.fm, BASIC_EXPORT
        ws = self.wb.add_worksheet(lay.name)
        vals = input_values(self.model)
        write_headers(ws, fm, lay)
        for i, inp in enumerate(BASIC, start=lay.header_row + 1):
            ws.write_string(i, lay.col("label"), inp.label, fm.text)
            v = vals.get(inp.name)
            if v is None:
                ws.write_blank(i, lay.col("value"), None, fm.money)
            else:
                ws.write_number(i, lay.col("value"), float(v), fm.money)
            ws.write_string(i, lay.col("unit"), inp.unit, fm.text)
            ws.write_string(i, lay.col("name"), inp.name, fm.text)
            self.wb.define_name(inp.name, f"='{lay.name}'!${lay.letter('value')}${i + 1}")
        print_setup(ws, (lay.header_row, lay.header_row))

    # ---- 问题清单
    def _write_findings(self):
        fm = self.fm
        ws = self.wb.add_worksheet(FINDINGS.name)
        write_headers(ws, fm, FINDINGS)
        exported = set(self.wb.sheetnames)
        for r, f in enumerate(self.c.all_findings, start=FINDINGS.header_row + 1):
            ws.write_string(r, 0, f.severity.zh, fm.text)
            ws.write_string(r, 1, f.rule, fm.text)
            if f.sheet in exported and f.sheet != BUDGET5.name:
                ws.write_url(r, 2, f"internal:{f.cell.qualified()}", fm.link, str(f.cell))
            else:
                ws.write_string(r, 2, str(f.cell), fm.text)  # the cell lives in the source workbook
            ws.write_string(r, 3, f.message, fm.text)
        print_setup(ws, (FINDINGS.header_row, FINDINGS.header_row))

    # ---- charts
    def _write_charts(self):
        ws = self.summary
        data = self.wb.add_worksheet("图表数据")
        data.hide()
        row = 0
        # A bar per budget line stays readable up to CHART_MAX_BARS; a longer 表5 is charted by 小计/总计.
        lines = self.rate_rows if len(self.rate_rows) <= CHART_MAX_BARS else self.total_rows
        if lines:
            data.write_string(0, 0, "预算项目")
            data.write_string(0, 1, "执行进度")
            data.write_string(0, 2, "参考线")
            for i, (label, r, rate) in enumerate(lines, start=1):
                data.write_string(i, 0, label)
                data.write_formula(i, 1, f"=IF('表5'!J{r + 1}=\"\",0,'表5'!J{r + 1})", None, float(rate or 0))
                data.write_number(i, 2, float(self.threshold))
            n = len(lines)
            ch = self.wb.add_chart({"type": "column"})
            ch.add_series({"name": "执行进度", "categories": ["图表数据", 1, 0, n, 0], "values": ["图表数据", 1, 1, n, 1]})
            line = self.wb.add_chart({"type": "line"})
            line.add_series({"name": f"{float(self.threshold) * 100:.0f}% 参考线", "categories": ["图表数据", 1, 0, n, 0],
                             "values": ["图表数据", 1, 2, n, 2], "line": {"color": "#C00000", "dash_type": "dash"}})
            ch.combine(line)
            ch.set_title({"name": "各预算项目执行进度"})
            ch.set_y_axis({"num_format": "0%", "min": 0})
            ch.set_legend({"position": "bottom"})
            ch.set_size({"width": 720, "height": 320})
            ws.insert_chart(self.summary_rows + 1, 0, ch)
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
            ch.add_series({"name": "分值", "categories": ["图表数据", a, 0, b, 0], "values": ["图表数据", a, 1, b, 1]})
            ch.add_series({"name": "得分", "categories": ["图表数据", a, 0, b, 0], "values": ["图表数据", a, 2, b, 2]})
            ch.set_title({"name": "一级指标得分与分值"})
            ch.set_legend({"position": "bottom"})
            ch.set_size({"width": 720, "height": 300})
            ws.insert_chart(self.summary_rows + 18, 0, ch)
