"""The draft self-evaluation report (自评报告) as .docx, written as ordered `_write_*` steps in the structure of
the reports units publish: 一、基本情况, 二、绩效目标实现情况, 三、评价结论, 四、存在的问题及原因, 五、整改措施,
附件1 评分表. Every figure is a `Fig` from figures.collect, printed as the workbook shows it; each section ends
with a 数据来源 note naming the cells its figures come from. What only the unit can write is 【待填写】."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from selfeval_xl.core.address import CellAddress
from selfeval_xl.forms.layouts import BUDGET5
from selfeval_xl.writers.atomic import atomic_path
from selfeval_xl.writers.report import document as d
from selfeval_xl.writers.report.display import general, percent
from selfeval_xl.writers.report.figures import BUDGET_SHOWN, PENDING, Facts, Fig, source_cells

MAX_FINDINGS = 20  # the rest are in `selfeval-xl validate`'s output; a draft lists the first ones
_ORDINALS = "一二三四五六七八九十"


def write_report(facts: Facts, target: str | os.PathLike, force: bool = True, source_name: str = "") -> Path:
    """Write the draft report of facts to target (atomically; never over an existing file unless force)."""
    target = Path(target)
    with atomic_path(target, force=force) as tmp:
        r = _Report(facts, source_name)
        r._write_title()
        r._write_basics()
        r._write_budget_table()
        r._write_goals()
        r._write_conclusion()
        r._write_problems()
        r._write_measures()
        r._write_annex()
        r.doc.save(tmp)  # atomic_path gives the file the user's umask (or the mode of the file it replaces)
    return target


def report_title(facts: Facts) -> str:
    if not facts.whole_unit:
        return f"{facts.header.get('ProjectName') or _todo('项目名称')}项目支出绩效自评报告"
    return f"{facts.unit_name or _todo('单位名称')}{facts.year or _todo('年份')}年度部门整体支出绩效自评报告"


class _Report:
    def __init__(self, facts: Facts, source_name: str):
        self.f = facts
        self.source_name = source_name
        self.doc = d.new_document(report_title(facts))
        self.used: list[Fig] = []
        self.tables = 0
        self.problems: list[str] = []  # the headings of 四, answered one by one in 五
        self.unit = facts.money_unit
        self.who = "本部门" if facts.whole_unit else "本项目"
        self.year = f"{facts.year}年" if facts.year else "本年"
        self.yd = f"{facts.year}年度" if facts.year else "本年度"

    # ---- helpers
    def _v(self, fig: Fig) -> str:
        """A figure for a sentence (【待填写】 when the workbook does not hold it); noted for the 数据来源."""
        self.used.append(fig)
        return fig.text

    def _m(self, fig: Fig) -> str:
        """A money figure with its unit."""
        return f"{self._v(fig)} {self.unit}" if fig.known else self._v(fig)

    def _p(self, text: str, style: str = d.STYLE_BODY):
        return d.paragraph(self.doc, text, style)

    def _h(self, text: str, level: int = 1):
        return d.heading(self.doc, text, level)

    def _note(self, extra: str = "") -> None:
        """数据来源：the cells of the figures used since the last note, sheet by sheet, as A1 ranges."""
        by_sheet: dict[str, set[CellAddress]] = {}
        for f in self.used:
            for addr in source_cells(f.source):
                by_sheet.setdefault(addr.sheet, set()).add(addr)
        self.used = []
        if not by_sheet and not extra:
            return
        where = "；".join(f"{s}：{'、'.join(_ranges(cells))}" for s, cells in by_sheet.items())
        text = f"数据来源：{self._book()}" + (f" {where}" if where else "") + (f"；{extra}" if extra else "") + "。"
        self._p(text, d.STYLE_NOTE)

    def _caption(self, title: str, unit: bool = False) -> None:
        self.tables += 1
        self._p(f"表{self.tables} {title}", d.STYLE_CAPTION)
        if unit:
            p = self._p(f"单位：{self.unit}", d.STYLE_NOTE)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_with_next = True

    # ---- title
    def _write_title(self) -> None:
        f = self.f
        self._p(report_title(f), d.STYLE_TITLE)
        if not f.whole_unit:
            if f.year:
                self._p(f"（{f.year}年度）", d.STYLE_TITLE)
            lines = [("项目名称", f.header.get("ProjectName")), ("主管部门", f.header.get("Department")),
                     ("实施单位", f.header.get("Implementer"))]
        else:
            lines = [("部门名称", f.unit_name)]
        for k, v in lines:
            p = self._p(f"{k}：{v or PENDING}")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = None
        book = f"《{self.source_name}》" if self.source_name else ""
        self._p(f"说明：本稿由 selfeval-xl 根据工作簿{book}生成，文中数字均取自该工作簿，各节末注明所取单元格；"
                f"标有{PENDING}处须由单位补充。定稿前请删除本说明及各节的数据来源注。", d.STYLE_NOTE)

    # ---- 一、基本情况
    def _write_basics(self) -> None:
        self._h("一、基本情况")
        if self.f.kind == "project":
            self._write_project_overview()
            self._write_project_funds()
            return
        self._h("（一）部门职能", 2)
        self._p(_todo("部门主要职能、机构设置、人员编制及年度重点工作任务"))
        self._write_budget_plan()
        self._write_budget_execution()
        self._write_low_rates()
        self._write_public_funds()
        self._write_procurement()
        self._write_assets_staff()

    def _write_budget_plan(self) -> None:
        f = self.f
        self._h("（二）预算编制情况", 2)
        g = f.grand
        if g is None:
            self._p(f"{self.year}{self.who}年初预算总额为 {PENDING} {self.unit}。")
            self._note("工作簿中没有 表5 总计行")
            return
        parts = [b for b in f.subtotals if not (b.figs["budget"].known and b.figs["budget"].value == 0)]
        text = f"{self.year}{self.who}年初预算总额为 {self._m(g.figs['budget'])}"
        if parts:
            text += "，包括" + "，".join(f"{b.name} {self._m(b.figs['budget'])}" for b in parts)
        self._p(text + "。")
        self._note()

    def _write_budget_execution(self) -> None:
        f = self.f
        self._h("（三）预算执行情况", 2)
        g = f.grand
        if g is None:
            self._p(_todo("预算执行情况（工作簿中没有 表5 总计行）"))
            return
        subs = f.subtotals
        text = f"{self.year}{self.who}预算调整后年度总指标为 {self._m(g.figs['total'])}"
        if subs:
            text += "，包括" + _and([f"{b.name} {self._m(b.figs['total'])}" for b in subs])
        text += f"。截至{self.year}年末，{self.who}实际支出 {self._m(g.figs['spent'])}"
        if subs:
            text += "，其中：" + "、".join(f"{b.name} {self._m(b.figs['spent'])}" for b in subs)
        text += (f"；{self.who}预算执行率达 {self._v(g.rate)}。年末剩余指标 {self._m(g.figs['remaining'])}。"
                 f"各预算项目执行情况见本部分末表{self.tables + 1}。")
        self._p(text)
        self._note()

    def _write_budget_table(self) -> None:
        """表5 as a table, in a landscape section at the end of 一 (a chapter ends there anyway, so the page
        the section break leaves short is the chapter's last)."""
        f = self.f
        if f.kind == "project" or not f.budget:
            return
        d.new_section(self.doc, landscape=True)
        self._caption(f"{self.year}{f.unit_name}预算整体支出情况表", unit=True)
        head = {c.key: c.header for c in BUDGET5.columns}
        cols = [d.Col(head["category"], 1.7), d.Col(head["item"], 3.2)] + [
            d.Col(head[k], 1.85, True) for k in BUDGET_SHOWN] + [d.Col(head["reason"], 5.0)]
        rows, bold = [], set()
        for i, b in enumerate(f.budget):
            if b.kind in ("subtotal", "grand"):
                bold.add(i)
                head = [b.label, ""]
            else:
                head = [b.category, b.label]
            rows.append(head + [b.figs[k].shown for k in BUDGET_SHOWN] + [b.reason])
        d.table(self.doc, cols, rows, size=8, merge=1, bold_rows=bold)
        self._p(f"数据来源：{self._book()} {f.budget_sheet} 第 {f.budget[0].row}–{f.budget[-1].row} 行，逐格照录。",
                d.STYLE_NOTE)
        d.new_section(self.doc, landscape=False)

    def _book(self) -> str:
        return f"工作簿《{self.source_name}》" if self.source_name else "工作簿"

    def _write_low_rates(self) -> None:
        f = self.f
        low = f.low
        limit = percent(f.threshold, 0)
        if not low:
            if f.budget and all(b.rate.known for b in f.budget if b.kind in ("detail", "child")):
                self._p(f"各预算项目的执行进度均不低于 {limit}。")
            return
        self._p(f"执行进度低于 {limit} 的预算项目及其执行率差额原因如下：")
        for i, b in enumerate(low, start=1):
            where = f"（{b.reason_source} 未填写）" if b.reason_source else ""
            reason = f"差额原因：“{b.reason}”" if b.reason else f"差额原因：{PENDING}{where}"
            self._p(f"{i}. {b.label}执行进度 {self._v(b.rate)}（年度总指标 {self._m(b.figs['total'])}，"
                    f"支出数 {self._m(b.figs['spent'])}）。{reason}")
            if b.reason_source:
                self.used.append(Fig(None, source=b.reason_source))
        self._note()

    def _basics_heading(self, title: str, missing: str) -> bool:
        """The heading of a section from 基础数据; False, after a 【待填写】, when the workbook has none."""
        self._h(title, 2)
        if not self.f.basic:
            self._p(_todo(f"{missing}（工作簿中没有 基础数据）"))
        return bool(self.f.basic)

    def _write_public_funds(self) -> None:
        b, r = self.f.basic, self.f.rates
        if not self._basics_heading("（四）“三公”经费和日常公用经费", "“三公”经费、日常公用经费的预算数、实际支出和控制率"):
            return
        self._p(f"{self.year}{self.who}“三公”经费预算数 {self._m(b['ThreeBudget'])}，实际支出 "
                f"{self._m(b['ThreeActual'])}，“三公”经费控制率 {self._v(r['three'])}。分项看，因公出国（境）费预算数 "
                f"{self._m(b['ThreeBudgetAbroad'])}，实际支出 {self._m(b['ThreeActualAbroad'])}；公务用车购置及运行"
                f"维护费预算数 {self._m(b['ThreeBudgetCar'])}，实际支出 {self._m(b['ThreeActualCar'])}；公务接待费"
                f"预算数 {self._m(b['ThreeBudgetRecept'])}，实际支出 {self._m(b['ThreeActualRecept'])}。")
        self._p(f"日常公用经费调整预算数 {self._m(b['OpexBudget'])}，日常公用经费决算数 {self._m(b['OpexActual'])}，"
                f"日常公用经费控制率 {self._v(r['opex'])}。")
        self._note("控制率 = 实际支出 ÷ 预算数")

    def _write_procurement(self) -> None:
        b, r = self.f.basic, self.f.rates
        if not self._basics_heading("（五）政府采购执行情况", "政府采购预算数、实际采购金额和执行率"):
            return
        self._p(f"{self.year}{self.who}政府采购预算数 {self._m(b['ProcPlan'])}，政府采购实际采购金额 "
                f"{self._m(b['ProcActual'])}，政府采购执行率 {self._v(r['proc'])}。")
        self._note("执行率 = 实际采购金额 ÷ 预算数")

    def _write_assets_staff(self) -> None:
        b, r = self.f.basic, self.f.rates
        if not self._basics_heading("（六）资产和人员情况", "资产账面总额、闲置资产、编制和人员情况"):
            return
        self._p(f"截至{self.year}末，{self.who}资产账面总额 {self._m(b['AssetTotal'])}，闲置资产账面金额 "
                f"{self._m(b['AssetIdle'])}，固定资产利用率 {self._v(r['asset'])}。")
        self._p(f"{self.who}核定编制数 {self._count(b['StaffQuota'])}，在编人数 {self._count(b['StaffActual'])}，"
                f"编外人数 {self._count(b['StaffExtra'])}；财政供养人员控制率 {self._v(r['staff'])}，"
                f"编外人员控制率 {self._v(r['extra'])}。")
        self._note("固定资产利用率 = 1 − 闲置资产 ÷ 资产总额；财政供养人员控制率 = 在编人数 ÷ 核定编制数；"
                   "编外人员控制率 = 编外人数 ÷ 在职人员总数")

    def _count(self, fig: Fig) -> str:
        return f"{self._v(fig)} {fig.unit}" if fig.known else self._v(fig)

    def _write_project_overview(self) -> None:
        h = self.f.header
        if self.f.whole_unit:  # a department's form (部门整体支出绩效自评表): no project to describe
            self._h("（一）部门职能", 2)
            self._p(_todo("部门主要职能、机构设置、人员编制及年度重点工作任务"))
            return
        self._h("（一）项目概况", 2)
        self._p(f"本项目名称为“{h.get('ProjectName') or PENDING}”，主管部门为{h.get('Department') or PENDING}，"
                f"实施单位为{h.get('Implementer') or PENDING}。")
        self._p(_todo("项目背景、立项依据、主要内容、组织实施及资金管理情况"))
        self._note(f"{self.f.project_sheet} 表头")

    def _write_project_funds(self) -> None:
        f = self.f
        self._h("（二）预算资金和执行情况" if f.whole_unit else "（二）项目资金预算和执行情况", 2)
        t = f.fund_total
        if t is None:
            self._p(_todo("项目资金预算和执行情况（工作簿中没有 年度资金总额 行）"))
            return
        when = f"{self.year}" if self.f.year else ""
        self._p(f"{when}{self.who}年初预算数 {self._m(t.plan)}，全年预算数 {self._m(t.budget)}，"
                f"全年执行数 {self._m(t.spent)}，执行率 {self._v(t.rate)}。资金明细见表{self.tables + 1}。")
        self._caption("预算资金情况表" if f.whole_unit else "项目资金情况表", unit=True)
        rows = []
        for line in f.funds:
            rows.append([line.label, line.plan.shown, line.budget.shown, line.spent.shown, line.rate.shown])
            self.used += [line.plan, line.budget, line.spent, line.rate]
        d.table(self.doc, [d.Col("预算资金" if f.whole_unit else "项目资金", 4.4), d.Col("年初预算数", 2.8, True), d.Col("全年预算数", 2.8, True),
                           d.Col("全年执行数", 2.8, True), d.Col("执行率", 2.4, True)], rows, bold_rows={0})
        if t.rate.known and t.rate.value < f.threshold * 100:
            self._p(f"执行率低于 {percent(f.threshold, 0)}，原因：{PENDING}")
        self._note()

    # ---- 二、绩效目标实现情况
    def _write_goals(self) -> None:
        f = self.f
        self._h("二、绩效目标实现情况")
        if f.kind == "project":
            self._write_indicators()
            return
        if not f.goals:
            self._p(_todo("绩效目标及其完成情况（工作簿中没有 绩效目标 表）"))
            return
        self._p(f"{self.who}{self.yd}整体支出绩效目标的指标值、完成值及偏差说明见表{self.tables + 1}。")
        self._caption("部门整体支出绩效目标完成情况表")
        cols = [d.Col("一级指标", 2.0), d.Col("二级指标", 2.4), d.Col("三级指标", 4.0), d.Col("指标值", 2.0),
                d.Col("完成值", 2.0), d.Col("完成偏差说明", 3.6)]
        d.table(self.doc, cols, [[g.level1, g.level2, g.level3, g.target, g.actual, g.note] for g in f.goals],
                merge=2)
        unmet = [g for g in f.goals if g.row in f.unmet]
        if unmet:
            self._p("完成值未达到指标值的指标：")
            for i, g in enumerate(unmet, start=1):
                why = f"偏差说明：“{g.note}”" if g.note else f"偏差说明：{PENDING}"
                self._p(f"{i}. “{g.level3}”：指标值 {g.target}，完成值 {g.actual}。{why}")
        else:
            self._p("按指标值与完成值比对，没有完成值未达到指标值的量化指标；定性指标的完成情况"
                    f"{_todo('逐项说明')}。")
        self._p(f"数据来源：{self._book()} {f.goals_sheet} 第 {f.goals[0].row}–{f.goals[-1].row} 行，逐格照录。",
                d.STYLE_NOTE)

    def _write_indicators(self) -> None:
        f = self.f
        if not f.indicators:
            self._p(_todo("绩效指标及其完成情况"))
            return
        differs = any(i.own.known and i.own.value != i.score.value for i in f.indicators)
        self._p(f"{self.who}绩效指标的年度指标值、实际完成值及得分见表{self.tables + 1}。")
        self._caption("项目绩效指标完成情况表")
        cols = [d.Col("一级指标", 1.5), d.Col("二级指标", 1.7), d.Col("三级指标", 2.8), d.Col("指标性质", 1.1),
                d.Col("年度指标值", 1.6), d.Col("度量单位", 1.1), d.Col("实际完成值", 1.6), d.Col("分值", 1.1, True),
                d.Col("得分", 1.1, True)] + ([d.Col("按规则核算", 1.3, True)] if differs else []) + [
                d.Col("偏差原因分析及改进措施", 3.0)]
        rows = []
        for i in f.indicators:
            score = i.own if i.own.known else i.score
            row = [i.level1, i.level2, i.level3, i.nature, i.target, i.unit, i.actual, i.points.shown, score.shown]
            rows.append(row + ([i.score.shown] if differs else []) + [i.reason])
        d.table(self.doc, cols, rows, size=9, merge=2)
        lost = [i for i in f.indicators if i.score.known and i.points.known and i.score.value < i.points.value]
        if lost:
            self._p("未得满分的指标：" + "；".join(
                f"“{i.level3}”年度指标值 {i.target}{i.unit}，实际完成值 {i.actual}{i.unit}"
                + (f"，偏差原因：“{i.reason}”" if i.reason else f"，偏差原因：{PENDING}") for i in lost) + "。")
        self._p(f"数据来源：{self._book()} {f.project_sheet} 第 {f.indicators[0].row}–{f.indicators[-1].row} 行，逐格照录；"
                "得分按评分规则计算。", d.STYLE_NOTE)

    # ---- 三、评价结论
    def _write_conclusion(self) -> None:
        s = self.f.scores
        self._h("三、评价结论")
        if s is None:
            self._p(_todo("自评总分、评价等级"))
            return
        what = "部门整体支出绩效自评" if self.f.whole_unit else "绩效自评"
        when = self.yd if self.f.year else ""
        self._p(f"经自评，{self.who}{when}{what}总分为 {self._v(s.total)} 分，评价等级为“{s.grade}”。")
        if s.differs:
            self._p(f"按评分规则核算为 {s.rule_total.text} 分（评价等级“{s.rule_grade}”），与自评总分不一致，"
                    "请核对附件1 中两者不同的指标。")
        differs = s.lines_differ
        self._p(f"各一级指标的分值和得分见表{self.tables + 1}，逐项评分见附件1。")
        self._caption("一级指标得分表")
        cols = [d.Col("一级指标", 5.0), d.Col("分值", 3.0, True), d.Col("自评得分", 3.0, True)] + (
            [d.Col("按规则核算", 3.0, True)] if differs else [])
        rows = [[name, pts.shown, got.shown] + ([rule.shown] if differs else []) for name, pts, got, rule in s.roots]
        total_points = sum((p.value for _, p, _, _ in s.roots), Decimal(0))
        rows.append(["合计", general(total_points), s.total.shown] + ([s.rule_total.shown] if differs else []))
        d.table(self.doc, cols, rows, bold_rows={len(rows) - 1})
        self._note("一级指标得分为其下各指标得分之和")

    # ---- 四、存在的问题及原因
    def _write_problems(self) -> None:
        f = self.f
        self._h("四、存在的问题及原因")
        self._p("以下各项由工作簿中的数字和校验结果整理，作为分析的起点；原因须由单位结合实际情况填写。")
        groups: list[tuple[str, list[str]]] = []
        if f.low:
            groups.append(("部分预算项目执行进度偏低", [f"{b.label}执行进度 {b.rate.text}" for b in f.low]))
        unmet = [g for g in f.goals if g.row in f.unmet]
        if unmet:
            groups.append(("部分绩效目标未完成", [f"“{g.level3}”指标值 {g.target}，完成值 {g.actual}" for g in unmet]))
        if f.scores is not None:
            lost = [s for s in f.scores.lines if s.shown_score.known and s.shown_score.value < s.points.value]
            if lost:
                groups.append(("部分评价指标未得满分", [
                    f"“{s.path[-1]}”分值 {s.points.shown} 分，得 {s.shown_score.shown} 分"
                    for s in lost]))
        if f.findings:
            more = "；另有问题见 selfeval-xl validate 的输出" if len(f.findings) > MAX_FINDINGS else ""
            groups.append(("工作簿校验发现的问题", f.findings[:MAX_FINDINGS] + ([more.lstrip("；")] if more else [])))
        if not groups:
            self._p(PENDING)
            return
        for n, (title, items) in enumerate(groups):
            self._h(f"（{_ORDINALS[n]}）{title}", 2)
            for i, item in enumerate(items, start=1):
                self._p(f"{i}. {item}。" if not item.endswith(("。", "！")) else f"{i}. {item}")
            hint = {"部分预算项目执行进度偏低": "（可参考一、（三）所列执行率差额原因）",
                    "部分评价指标未得满分": "（各项计算过程见附件1）"}.get(title, "")
            self._p(f"原因分析：{PENDING}{hint}")
            self.problems.append(title)

    # ---- 五、整改措施
    def _write_measures(self) -> None:
        self._h("五、整改措施")
        for n, title in enumerate(self.problems + ["其他改进措施"]):
            self._h(f"（{_ORDINALS[n]}）针对{title}" if title != "其他改进措施" else f"（{_ORDINALS[n]}）{title}", 2)
            self._p(_todo("具体措施、责任科室和完成时限"))

    # ---- 附件1 评分表
    def _write_annex(self) -> None:
        s = self.f.scores
        if s is None:
            return
        d.new_section(self.doc, landscape=True)
        self._p("附件1", d.STYLE_H1)
        what = "部门整体支出绩效评价指标体系评分表" if self.f.whole_unit else "项目支出绩效自评评分表"
        self._p(f"{self.yd}{what}", d.STYLE_CAPTION)
        differs = s.lines_differ
        cols = [d.Col("一级指标", 2.4), d.Col("二级指标", 2.6), d.Col("三级指标", 4.2), d.Col("分值", 1.4, True),
                d.Col("自评得分", 1.6, True)] + ([d.Col("按规则核算", 1.8, True)] if differs else []) + [
                d.Col("计算过程", 10.6)]
        rows = []
        for line in s.lines:
            path = (line.path + ["", ""])[:3] if len(line.path) < 3 else line.path[-3:]
            rows.append(path + [line.points.shown, line.shown_score.shown]
                        + ([line.score.shown] if differs else []) + [line.explanation])
            self.used += [line.shown_score]
        total_points = sum((line.points.value for line in s.lines), Decimal(0))
        rows.append(["合计", "", "", general(total_points), s.total.shown]
                    + ([s.rule_total.shown] if differs else []) + [f"评价等级：{s.grade}"])
        self.used.append(s.total)
        d.table(self.doc, cols, rows, size=9, merge=2, bold_rows={len(rows) - 1})
        self._note("计算过程按评分规则由工作簿数字算出")


def _todo(what: str) -> str:
    """【待填写：what】, for what only the unit can write."""
    return f"{PENDING.rstrip('】')}：{what}】"


def _and(items: list[str]) -> str:
    """A、B和C."""
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1]


def _ranges(cells: set[CellAddress]) -> list[str]:
    """Cells as A1 ranges, column by column: K3, K4 … K24 → K3:K24."""
    out: list[str] = []
    run: list[CellAddress] = []
    for c in sorted(cells, key=lambda a: (a.col, a.row)) + [None]:
        if run and (c is None or c.col != run[-1].col or c.row != run[-1].row + 1):
            out.append(run[0].a1 if len(run) == 1 else f"{run[0].a1}:{run[-1].a1}")
            run = []
        if c is not None:
            run.append(c)
    return out
