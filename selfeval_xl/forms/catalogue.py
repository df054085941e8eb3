"""The form catalogue, declared as data: each self-evaluation form in use, its name, the titles and headers that
identify it, its blocks (funds, goals, indicators, total) with their column and row synonyms, and its default
scoring rules (scoring/form_rules.py). The readers take every position from here."""

from __future__ import annotations

import re
import unicodedata

from selfeval_xl.core.record import record
from selfeval_xl.forms.headers import remembered


@record(frozen=True)
class FormSpec:
    id: str
    name: str
    source: str  # where the form is prescribed
    titles: tuple[str, ...]  # title words that name it
    marks: tuple[str, ...] = ()  # headers or labels only this form has
    rules: str = "national"  # the default rule set (scoring/form_rules.py RULESETS)
    funds_points: int = 10  # points of 预算执行 when the block does not state them
    by_title: bool = True  # its title alone names it (False: other provinces' titles contain the same words)


FORMS: tuple[FormSpec, ...] = (
    FormSpec("chongqing-dept", "部门整体绩效自评表（重庆）", "重庆市财政局 部门整体绩效自评表",
             ("部门整体绩效自评表",), ("得分系数", "是否核心指标", "执行率权重"), "chongqing", 10),
    FormSpec("sichuan-project", "部门预算项目支出绩效自评表（四川）", "四川省财政厅 部门预算项目支出绩效自评表",
             ("部门预算项目支出绩效自评表",), ("财政专户管理资金", "调整后预算数"), "sichuan", 10, False),
    FormSpec("anhui-dept", "部门整体支出绩效自评表", "安徽省财政厅 部门整体支出绩效自评表",
             ("部门整体支出绩效自评表",), ("部门整体支出总额",), "dept20", 20),
    FormSpec("national-project", "项目支出绩效自评表（财预〔2020〕10号）",
             "财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）附件 项目支出绩效自评表",
             ("项目支出绩效自评表", "绩效目标自评表", "项目绩效自评表"), (), "national", 10),
)
BY_ID = {f.id: f for f in FORMS}
GENERIC = BY_ID["national-project"]

# ---------------------------------------------------------------- the blocks' words

FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan": ("年初预算数", "年初预算", "年初数", "年初批复预算数", "年初部门预算安排金额"),
    "carry_in": ("历年结余结转",),  # Fujian's 资金结构 block: 小计 = 年初 ① + 历年结余结转 ② + 年中调整 ③
    "adjust": ("年中调整金额",),
    "budget": ("全年预算数", "调整后预算数", "调整预算数", "调整后预算", "预算数", "全年调整预算数", "小计",
               "合计"),  # 小计: Fujian's 资金结构; 合计: a block by source (中央 | 省 | 本级 | 其他 | 合计 | 执行数)
    "spent": ("全年执行数", "预算执行数", "执行数", "实际执行数", "实际支出数", "支出数", "年度拨付金额"),
    "rate": ("执行率", "预算执行率", "支出实现率"),
    "remaining": ("本年度结余金额",),
    "remaining_rate": ("资金结余率",),
    "points": ("分值", "权重", "执行率权重"),
    "score": ("得分", "执行率得分", "自评得分"),
    "reason": ("原因", "偏差原因", "原因说明"),
    "method": ("得分计算方法", "计算方法"),
}
FUND_ROWS: dict[str, tuple[str, ...]] = {
    "total": ("年度资金总额", "年度财政资金总额", "部门整体支出总额", "资金总额", "总额", "合计", "年度预算资金总额"),
    "fiscal": ("本年财政拨款", "当年财政拨款", "财政拨款", "财政资金", "一般公共预算", "本级财政拨款"),
    "carry": ("上年结转资金", "上年结转", "结转资金"),
    "special": ("财政专户管理资金", "纳入专户管理的非税收入拨款", "专户管理资金"),
    "unit": ("单位资金", "单位其它收入", "单位其他收入"),
    "other": ("其他资金",),
}
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称", "绩效指标名称"),
    "nature": ("指标性质",),
    "target": ("年度指标值", "指标值", "预期指标值", "年初目标值", "年初指标值", "目标值", "年度目标值", "绩效目标值"),
    "adjusted": ("调整指标值", "全年调整指标值", "调整后指标值"),
    "unit": ("度量单位", "计量单位"),
    "actual": ("实际完成值", "完成值", "全年实际值", "实际完成指标值", "全年完成值", "实际值", "实际完成情况", "年终完成值"),
    "points": ("分值", "权重", "指标权重", "指标分值"),
    "score": ("得分", "指标得分", "自评得分", "自评分"),  # never 复核分, the reviewer's
    "coef": ("得分系数",),
    "note": ("偏差原因分析及改进措施", "未完成原因及拟采取的改进措施", "未完成原因分析", "未完成原因", "偏差原因",
             "完成偏差说明", "偏差说明", "偏差原因分析", "未完成原因和改进措施"),
    "core": ("是否核心指标",),
    "manual": ("定性得分",),
    "method": ("得分计算方法",),
}
GOAL_EXPECTED = ("预期目标", "年初设定目标", "年初绩效目标", "项目年度目标", "年度目标", "年初目标")
GOAL_ACTUAL = ("实际完成情况", "年度总体目标完成情况综述", "全年目标实际完成情况", "年度目标完成情况", "年度总体目标完成情况",
               "目标实际完成情况")
TOTAL_LABELS = ("总分", "合计", "自评总分", "总得分", "自评得分合计")
HEADER_TOTAL_LABELS = ("自评总分", "自评得分", "总分")
GRADE_LABELS = ("评价等级", "自评等级", "绩效等级", "等级")
END_LABELS = ("评价结论", "存在问题", "改进措施", "偏差大或", "备注", "项目负责人", "财务负责人", "填表人")
HEADER_LINES = (("项目名称", "ProjectName"), ("主管部门", "Department"), ("实施单位", "Implementer"),
                ("项目实施单位", "Implementer"), ("单位名称", "UnitName"), ("部门名称", "UnitName"),
                ("预算部门、单位名称", "UnitName"), ("部门", "UnitName"), ("预算单位", "UnitName"))

_PARENS = re.compile(r"[（(][^()（）]*[)）]")
_POINTS = r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]"  # these three compiled where used (re keeps them)
# points written after a group's name without brackets: 产出指标40分, 项目绩效85分 (a name of words, no sign or number)
_BARE_POINTS = r"(指标|绩效|决策|管理|过程|产出|效益|满意度)(\d+(?:\.\d+)?)分$"
_SPACES = re.compile(r"\s+")
_PLACEHOLDER = r"^(指标\d*[:：]?|…+|\.+|-+|—+|/|／|\*+)$"


# A column's number and formula printed after its name, as Fujian's funds block has them: 小计 ③=①+②, 支出实现率（%）⑤=④/③
_FORMULA_MARK = r"[①-⑳](?:\s*=[\s①-⑳+\-−/×÷*]*)?\s*$"


def key_text(text: object) -> str:
    """A header or label as compared: NFKC, without spaces, without anything in brackets, without trailing ：, without
    a column's printed number and formula (③=①+②)."""
    t = "" if text is None else str(text)
    if "=" in t or "①" <= t[-1:] <= "⑳":
        t = re.sub(_FORMULA_MARK, "", t)
    t = unicodedata.normalize("NFKC", t)
    t = _SPACES.sub("", t)
    t = _PARENS.sub("", t)
    return t.rstrip(":：")


def marks_a(text: object) -> bool:
    """The header names the A of B/A: 全年预算数（A）, 年初预算数（A）."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return bool(re.search(r"[（(]\s*A\s*[)）]", t))


def stated_points(text: object) -> float | None:
    """The points written into a label: 产出指标（50分） → 50; 产出指标40分 → 40."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    m = re.search(_POINTS, t)
    if m:
        return float(m.group(1))
    m = re.search(_BARE_POINTS, _SPACES.sub("", t))
    return float(m.group(2)) if m else None


def bare_name(text: object) -> str:
    """A label without its stated points and spaces: 产 出 指 标 （50分） → 产出指标; 产出指标40分 → 产出指标."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    t = _SPACES.sub("", re.sub(_POINTS, "", t))
    return re.sub(_BARE_POINTS, r"\1", t).strip()


def placeholder(text: object) -> bool:
    """指标2：, ……, - and the like: a row left as the form printed it."""
    t = bare_name(text)
    t = re.sub(r"^指标\d+[:：]", "", t)
    return not t or bool(re.match(_PLACEHOLDER, t))


def match_key(text: object, table: dict[str, tuple[str, ...]]) -> str | None:
    """The key whose words equal the text (as key_text); else the first whose word of 4+ characters starts or
    ends it (shorter words such as 预算数 must match whole: 年度预算数 is a label, not a figure column)."""
    return remembered(_match_key, text, table)


def _match_key(text: object, table: dict[str, tuple[str, ...]]) -> str | None:
    t = key_text(text)
    if not t:
        return None
    for key, words in table.items():
        if t in words:
            return key
    for key, words in table.items():
        if any(len(w) >= 4 and (t.startswith(w) or t.endswith(w)) for w in words):
            return key
    return None


def fund_row_key(label: object) -> str | None:
    """total / fiscal / carry / special / unit / other for a funds row label (其中： and 1. prefixes ignored)."""
    t = key_text(label)
    t = re.sub(r"^(其中|其中：|其中:|\d+[.、])", "", t).lstrip(":：")
    if not t:
        return None
    for key, words in FUND_ROWS.items():
        if t in words or any(t.startswith(w) for w in words if len(w) >= 2):
            return key
    return None
