"""The named scalar inputs of the templates: one defined name per input.

This catalogue is the single source for the template builder (which creates the
defined names), the reader (which finds values by name or by label), the scoring
methods (whose parameters name these inputs) and docs/defined-names.md.
"""

from __future__ import annotations

from selfeval_xl.core.record import record


@record(frozen=True)
class Input:
    name: str  # workbook-level defined name (ASCII, valid in Excel, WPS and LibreOffice)
    label: str  # the Chinese label in column A of its sheet
    unit: str
    meaning: str
    sheet: str = "基础数据"
    derived: bool = False  # computed from other inputs or from 表5 (scoring/derived.py), not typed


INFO = (
    Input("UnitName", "单位名称", "", "填报单位全称", "基本信息"),
    Input("Year", "年度", "年", "自评年度，如 2020", "基本信息"),
    Input("Preparer", "填报人", "", "填报人姓名", "基本信息"),
    Input("Phone", "联系电话", "", "填报人联系电话", "基本信息"),
    Input("AmountUnit", "金额单位", "", "固定为 万元", "基本信息"),
)

BASIC = (
    Input("ProcPlan", "政府采购计划金额", "万元", "年度政府采购预算（计划）金额合计"),
    Input("ProcActual", "政府采购实际金额", "万元", "年度实际政府采购金额合计"),
    Input("ThreeBudgetAbroad", "因公出国（境）费预算数", "万元", "“三公”经费之因公出国（境）费预算"),
    Input("ThreeActualAbroad", "因公出国（境）费实际支出", "万元", "“三公”经费之因公出国（境）费实际支出"),
    Input("ThreeBudgetCar", "公务用车购置及运行维护费预算数", "万元", "“三公”经费之公务用车预算"),
    Input("ThreeActualCar", "公务用车购置及运行维护费实际支出", "万元", "“三公”经费之公务用车实际支出"),
    Input("ThreeBudgetRecept", "公务接待费预算数", "万元", "“三公”经费之公务接待预算"),
    Input("ThreeActualRecept", "公务接待费实际支出", "万元", "“三公”经费之公务接待实际支出"),
    Input("ThreeBudget", "“三公”经费预算合计", "万元", "三项预算之和（公式）", derived=True),
    Input("ThreeActual", "“三公”经费实际支出合计", "万元", "三项实际支出之和（公式）", derived=True),
    Input("OpexBudget", "日常公用经费调整预算数", "万元", "日常公用经费调整后预算"),
    Input("OpexActual", "日常公用经费决算数", "万元", "日常公用经费实际支出（决算）"),
    Input("SpendQ1", "一季度末累计支出", "万元", "截至 3 月末的累计支出"),
    Input("SpendQ2", "二季度末累计支出", "万元", "截至 6 月末的累计支出"),
    Input("SpendQ3", "三季度末累计支出", "万元", "截至 9 月末的累计支出"),
    Input("SpendQ4", "四季度末累计支出", "万元", "截至 12 月末的累计支出"),
    Input("StaffQuota", "核定编制数", "人", "核定编制数（含工勤人员）"),
    Input("StaffActual", "在编人数", "人", "本年度实有在编人数（含工勤人员）"),
    Input("StaffExtra", "编外人数", "人", "劳务派遣及直接聘用的编外人员数"),
    Input("StaffTotal", "在职人员总数（在编+编外）", "人", "在编人数 + 编外人数（公式）", derived=True),
    Input("AssetTotal", "资产账面总额", "万元", "年末资产账面总额"),
    Input("AssetIdle", "闲置资产账面金额", "万元", "年末闲置资产账面金额"),
    Input("KeyPlanned", "重点工作任务数", "项", "应完成的重点工作数"),
    Input("KeyDone", "重点工作完成数", "项", "按期保质完成的重点工作数"),
    Input("ProjPlanned", "计划完成项目数", "个", "部门预算安排、计划完成的项目数"),
    Input("ProjOnTime", "按计划时间完成项目数", "个", "按计划时间完成的项目数"),
    Input("PetitionReceived", "群众信访件数", "件", "本年度收到的群众信访件数"),
    Input("PetitionAnswered", "信访办理回复件数", "件", "已办理回复的信访件数"),
    Input("PetitionOnTime", "信访及时办理回复件数", "件", "未超期办理回复的信访件数"),
    Input("BudgetScale", "部门预算总规模", "万元", "表5 总计行的部门预算指标（公式）", derived=True),
    Input("AdjustAmount", "调整调剂资金累计", "万元", "表5 总计行 |追加|+|调整|（公式，口径见 docs）", derived=True),
    Input("BudgetTotal", "年度总指标", "万元", "表5 总计行的年度总指标（公式）", derived=True),
    Input("BudgetSpent", "全年支出数", "万元", "表5 总计行的支出数（公式）", derived=True),
)

BY_NAME = {i.name: i for i in INFO + BASIC}
BY_LABEL = {i.label: i for i in INFO + BASIC}
