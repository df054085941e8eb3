"""The consolidation workbook of `selfeval-xl batch` (xlsxwriter): 汇总, 分布, 预警, 问题清单, 抽查, 无法读取,
重复提交 — native charts, frozen headers, autofilters, conditional formats, links to the files.

Written in constant-memory mode (rows go to disk as they are written), so that 50,000 workbooks and their findings
do not have to sit in memory as cells; each sheet is therefore written top to bottom, in order."""

from __future__ import annotations

import math
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from selfeval_xl.app.batch.records import LEVEL_ZH as ALERT_ZH
from selfeval_xl.rules.severity import Severity
from selfeval_xl.writers.atomic import atomic_path
from selfeval_xl.writers.styles import BODY_FONT, FIXED_DATE, Formats, print_setup
from selfeval_xl.writers.textfit import lines, row_height

MAX_ROWS = 1_048_576
MAX_LINKS = 65_530  # Excel's limit of hyperlinks on one sheet
SEVERITY_ZH = {s.value: s.zh for s in Severity}
LEVEL_ZH = {**ALERT_ZH, "": ""}  # "": no 预警
RED_LINE = ((0.0, 4.5), (0.955, 100.0))  # 自评总分 = 100 × 执行率 + 4.5 (执行率 10 分, 指标 90 分, gap 5 points)
YELLOW_LINE = ((0.8, 0.0), (0.8, 100.0))  # 执行率 80%: more than 20% unspent


# Each sheet's table: (header, key in the batch's table, width, kind). Key "#" numbers the rows, None leaves
# the cell for a person to fill; a "link" shows the file and opens it.
COLUMNS = {
    "汇总": (("序号", "#", 6, "int"), ("文件", "file", 42, "link"), ("单位名称", "unit", 28, "text"),
           ("年度", "year", 7, "text"), ("表式", "forms", 24, "text"), ("项目名称", "project", 28, "text"),
           ("自评总分", "self_total", 9, "score"), ("规则总分", "total", 9, "score"),
           ("差值（自评−规则）", "difference", 10, "score"), ("评价等级", "grade", 8, "text"), ("执行率", "rate", 9, "pct"),
           ("预算数", "budget", 14, "money"), ("执行数", "spent", 14, "money"), ("错误", "errors", 6, "int"),
           ("警告", "warnings", 6, "int"), ("提示", "infos", 6, "int"), ("预警", "alert", 7, "level"),
           ("预警类型", "alert_kinds", 22, "text"), ("备注", "note", 36, "text")),
    "预警": (("级别", "level", 7, "level"), ("文件", "file", 40, "link"), ("单位名称", "unit", 26, "text"),
           ("项目名称", "project", 26, "text"), ("类型", "kind", 14, "text"), ("原因", "reason", 70, "text"),
           ("单元格", "cell", 16, "text")),
    "问题清单": (("文件", "file", 40, "text"), ("单位名称", "unit", 26, "text"), ("工作表", "sheet", 16, "text"),
             ("单元格", "cell", 8, "text"), ("严重程度", "severity", 8, "severity"), ("规则", "rule", 12, "text"),
             ("说明", "message", 90, "text")),
    "抽查": (("序号", "#", 6, "int"), ("分层（评价等级）", "stratum", 10, "text"), ("文件", "file", 40, "link"),
           ("单位名称", "unit", 26, "text"), ("项目名称", "project", 26, "text"), ("自评总分", "self_total", 9, "score"),
           ("规则总分", "total", 9, "score"), ("执行率", "rate", 9, "pct"), ("预警", "alert", 7, "level"),
           ("抽查结论", None, 24, "text"), ("抽查人", None, 10, "text"), ("备注", None, 24, "text")),
    "无法读取": (("文件", "file", 50, "link"), ("原因", "reason", 100, "text")),
    "重复提交": (("文件", "file", 44, "link"), ("单位名称", "unit", 26, "text"), ("年度", "year", 7, "text"),
             ("表式", "forms", 22, "text"), ("项目名称", "project", 26, "text"), ("收到时间", "received", 16, "when"),
             ("以此为准（较新）", "kept", 44, "text"), ("其收到时间", "kept_received", 16, "when")),
}


class _Sheets:
    """The workbook being written, its formats, and where the links are relative to."""

    def __init__(self, wb, base: Path):
        self.wb, self.base = wb, base
        self.fm = Formats(wb)
        cell = {"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter", "border": 1}
        self.int = wb.add_format({**cell, "num_format": "0"})
        self.when = wb.add_format({**cell, "num_format": "yyyy-mm-dd hh:mm"})
        self.clip = wb.add_format(cell)  # text on one line (a file name in the chart's data)
        self.banner = wb.add_format({"font_name": BODY_FONT, "font_size": 11, "bold": True, "valign": "vcenter",
                                     "text_wrap": True})

    def cell(self, ws, r: int, c: int, value, kind: str, links: list) -> None:
        fm = self.fm
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "" or (kind == "when" and not value):
            ws.write_blank(r, c, None, fm.text)
        elif kind == "link":
            self.link(ws, r, c, value, links)
        elif kind == "score":
            ws.write_number(r, c, float(value), fm.score)
        elif kind == "money":
            ws.write_number(r, c, float(value), fm.money)
        elif kind == "pct":
            ws.write_number(r, c, float(value), fm.pct)
        elif kind == "int":
            ws.write_number(r, c, int(value), self.int)
        elif kind == "when":
            ws.write_datetime(r, c, datetime.fromtimestamp(value), self.when)
        elif kind == "level":
            ws.write_string(r, c, LEVEL_ZH.get(value, value), fm.text_center)
        elif kind == "severity":
            ws.write_string(r, c, SEVERITY_ZH.get(value, value), fm.text_center)
        else:
            ws.write_string(r, c, str(value), fm.text)

    def link(self, ws, r: int, c: int, value: tuple[str, str], links: list) -> None:
        """value = (text shown, file on disk); a link relative to the consolidation workbook's folder."""
        text, target = value
        if links[0] < MAX_LINKS and target and "#" not in target:
            try:
                rel = os.path.relpath(target, self.base)
            except ValueError:  # another drive (Windows)
                rel = os.path.abspath(target)
            try:
                if ws.write_url(r, c, "external:" + rel, self.fm.link, text) == 0:
                    links[0] += 1
                    return
            except ValueError:  # longer than Excel's 2,080 characters
                pass
        ws.write_string(r, c, text, self.fm.text)

    def table(self, ws, first: int, columns, df, freeze_cols: int = 1) -> int:
        """Headers on row first, then a row per row of df (columns: (header, key, width, kind); key "#" numbers
        the rows, None leaves the cell blank, a link shows file and opens link); autofilter and frozen headers.
        Returns the last row written."""
        fm = self.fm
        rows = _rows(df, columns)
        for c, (header, _key, width, _kind) in enumerate(columns):
            ws.write_string(first, c, header, fm.header)
            ws.set_column(c, c, width)
        links = [0]
        r = first
        one_line = [_one_line(col[2]) if col[3] == "text" else 0 for col in columns]
        for r, row in enumerate(rows, start=first + 1):
            wrapped = [(str(v), col[2]) for v, col, n in zip(row, columns, one_line)
                       if col[3] == "text" and v not in (None, "") and len(str(v)) > n]
            tall = row_height(wrapped)
            if tall > 18:  # wrapped text: a height nobody re-fits (textfit), set before the row is written
                ws.set_row(r, tall)
            for c, (_h, _k, _w, kind) in enumerate(columns):
                self.cell(ws, r, c, row[c], kind, links)
        ws.autofilter(first, 0, max(r, first), len(columns) - 1)
        ws.freeze_panes(first + 1, freeze_cols)
        print_setup(ws, (first, first))
        return max(r, first)

    def level_colours(self, ws, first: int, last: int, col: int) -> None:
        ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==", "value": '"红色"', "format": self.fm.bad})
        ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==", "value": '"黄色"', "format": self.fm.warn})


def _one_line(width: float) -> int:
    """The most characters, of any kind, sure to fit on one line of a column (no height to work out)."""
    n = 1
    while lines("中" * (n + 1), width) == 1:
        n += 1
    return n


def write_consolidation(tables, sample, path: str | os.PathLike, force: bool = True) -> Path:
    """Write the consolidation workbook at path (atomically) from the batch's Tables and Sample (or None)."""
    import xlsxwriter

    path = Path(path)
    with atomic_path(path, force=force) as tmp:
        wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "绩效自评汇总", "author": "selfeval-xl", "created": FIXED_DATE})
        s = _Sheets(wb, path.resolve().parent)
        _write_summary(s, tables)
        _write_distribution(s, tables)
        _write_alerts(s, tables)
        _write_findings(s, tables)
        _write_sample(s, sample)
        _write_unreadable(s, tables)
        _write_duplicates(s, tables)
        wb.close()
    return path


def _v(x):
    """A table value as written: Decimal and numpy scalars to Python numbers, NaN/None to None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, Decimal):
        return x
    return x.item() if hasattr(x, "item") else x


def _rows(df, columns):
    if not len(df):
        return
    data = {key: df[key].tolist() for _h, key, _w, _k in columns if key not in (None, "#")}
    links = df["link"].tolist() if any(c[3] == "link" for c in columns) else []
    for i in range(len(df)):
        yield [i + 1 if key == "#" else None if key is None else (data[key][i], links[i]) if kind == "link"
               else _v(data[key][i]) for _h, key, _w, kind in columns]


def _write_summary(s: _Sheets, tables) -> None:
    ws = s.wb.add_worksheet("汇总")
    ws.activate()
    df = tables.summary
    last = s.table(ws, 0, COLUMNS["汇总"], df, freeze_cols=2)
    ws.fit_to_pages(2, 0)  # 19 columns: two pages across, 序号 and 文件 repeated on each
    ws.repeat_columns(0, 1)
    if len(df):
        col = {key: c for c, (_h, key, _w, _k) in enumerate(COLUMNS["汇总"])}
        s.level_colours(ws, 1, last, col["alert"])
        ws.conditional_format(1, col["difference"], last, col["difference"],
                              {"type": "cell", "criteria": ">", "value": 5, "format": s.fm.bad})
        ws.conditional_format(1, col["rate"], last, col["rate"],
                              {"type": "cell", "criteria": "between", "minimum": 0, "maximum": 0.7999999, "format": s.fm.warn})
        ws.conditional_format(1, col["errors"], last, col["errors"],
                              {"type": "cell", "criteria": ">", "value": 0, "format": s.fm.bad})
        ws.conditional_format(1, col["grade"], last, col["grade"],
                              {"type": "cell", "criteria": "==", "value": '"差"', "format": s.fm.bad})
        ws.conditional_format(1, col["total"], last, col["total"], {"type": "data_bar", "bar_color": "#9DC3E6",
                                                                   "min_type": "num", "min_value": 0,
                                                                   "max_type": "num", "max_value": 100})


def _write_distribution(s: _Sheets, tables) -> None:
    """概况, the bands and grades with their charts, and the scatter of 自评得分 against 执行率 with the 预警 lines."""
    ws = s.wb.add_worksheet("分布")
    fm = s.fm
    ws.set_column(0, 0, 18)
    ws.set_column(1, 3, 12)
    ws.set_row(0, 26)
    ws.merge_range(0, 0, 0, 4, "绩效自评汇总：概况与分布", fm.title)
    o = tables.overview
    overview = (("文件总数", o["files"]), ("已读取", o["read"]), ("无法读取", o["unreadable"]),
                ("重复提交（未计入）", o["duplicates"]), ("有错误的工作簿", o["with_errors"]),
                ("红色预警", o["red"]), ("黄色预警", o["yellow"]))
    for r, (label, n) in enumerate(overview, start=2):
        ws.write_string(r, 0, label, fm.bold_text)
        ws.write_number(r, 1, n, s.int)
    top = 2 + len(overview) + 1  # the bands table
    for c, h in enumerate(("分数段", "按自评总分（份）", "按规则总分（份）")):
        ws.write_string(top, c, h, fm.header)
    bands = tables.bands
    for r, row in enumerate(bands.itertuples(index=False), start=top + 1):
        ws.write_string(r, 0, row.band, fm.text_center)
        ws.write_number(r, 1, int(row.self), s.int)
        ws.write_number(r, 2, int(row.rule), s.int)
    b0, b1 = top + 1, top + len(bands)
    gtop = b1 + 2  # the grades table
    ws.write_string(gtop, 0, "评价等级", fm.header)
    ws.write_string(gtop, 1, "份数", fm.header)
    grades = tables.grades
    for r, row in enumerate(grades.itertuples(index=False), start=gtop + 1):
        ws.write_string(r, 0, row.grade, fm.text_center)
        ws.write_number(r, 1, int(row.count), s.int)
    g0, g1 = gtop + 1, gtop + len(grades)
    ptop = g1 + 2  # the scatter's points, red first, then yellow, then the others
    series = _write_points(s, ws, ptop, tables.summary)
    _insert_charts(s, ws, (b0, b1), (g0, g1), series)
    print_setup(ws)


def _write_points(s: _Sheets, ws, top: int, summary) -> list[tuple[str, int, int]]:
    fm = s.fm
    ws.set_column(4, 4, 36)
    notes = ("散点：横轴为执行率，纵轴为自评总分（单位未填写自评总分时用规则总分）。",
             "红线：项目支出绩效自评表（执行率 10 分、指标 90 分）中，自评总分高于 100×执行率+4.5，即指标得分率比执行率得分率高 5 个百分点以上，为红色预警；",
             "黄线：执行率低于 80%（超过 20% 的预算未执行），为黄色预警。部门整体支出的评分表分值不同，其红色预警按各自评分表计算，见 预警 表。")
    for i, text in enumerate(notes):
        ws.set_row(top + i, row_height([(text, 18 + 3 * 12 + 36)]))
        ws.merge_range(top + i, 0, top + i, 4, text, fm.note)
    head = top + len(notes) + 1
    for c, h in enumerate(("执行率", "自评得分", "预警", "文件")):
        ws.write_string(head, c + 1, h, fm.header)
    ws.write_string(head, 0, "图线", fm.header)
    r = head + 1
    series = []
    for label, pts in (("红线", RED_LINE), ("黄线", YELLOW_LINE)):
        for x, y in pts:
            ws.write_string(r, 0, label, fm.text)
            ws.write_number(r, 1, x, fm.pct)
            ws.write_number(r, 2, y, fm.score)
            r += 1
        series.append((label, r - 2, r - 1))
    y = summary["self_total"].where(summary["self_total"].notna(), summary["total"])
    pts = summary.assign(shown=y)[summary["rate"].notna() & y.notna()]
    for level, name in (("red", "红色预警"), ("yellow", "黄色预警"), ("", "无预警")):
        part = pts[pts["alert"] == level]
        if not len(part):
            continue
        start = r
        for row in part.itertuples(index=False):
            ws.write_string(r, 0, "", fm.text)
            ws.write_number(r, 1, float(row.rate), fm.pct)
            ws.write_number(r, 2, float(row.shown), fm.score)
            ws.write_string(r, 3, LEVEL_ZH[level], fm.text_center)
            ws.write_string(r, 4, row.file, s.clip)
            r += 1
        series.append((name, start, r - 1))
    return series


_COLOURS = {"红色预警": "#C00000", "黄色预警": "#E0A000", "无预警": "#5B9BD5", "红线": "#C00000", "黄线": "#E0A000"}


def _insert_charts(s: _Sheets, ws, bands: tuple[int, int], grades: tuple[int, int], series) -> None:
    wb, sheet = s.wb, "分布"
    hist = wb.add_chart({"type": "column"})
    for col, name in ((1, "按自评总分"), (2, "按规则总分")):
        hist.add_series({"name": name, "categories": [sheet, bands[0], 0, bands[1], 0],
                         "values": [sheet, bands[0], col, bands[1], col], "gap": 60})
    hist.set_title({"name": "总分分布（份数）", "name_font": {"size": 12}})
    hist.set_x_axis({"name": "分数段"})
    hist.set_y_axis({"name": "份数", "major_gridlines": {"visible": True}})
    hist.set_legend({"position": "bottom"})
    ws.insert_chart(1, 6, hist, {"x_scale": 1.3, "y_scale": 1.1})
    bars = wb.add_chart({"type": "column"})
    bars.add_series({"name": "份数", "categories": [sheet, grades[0], 0, grades[1], 0],
                     "values": [sheet, grades[0], 1, grades[1], 1], "data_labels": {"value": True},
                     "fill": {"color": "#5B9BD5"}})
    bars.set_title({"name": "评价等级（份数）", "name_font": {"size": 12}})
    bars.set_legend({"none": True})
    ws.insert_chart(19, 6, bars, {"x_scale": 1.3, "y_scale": 1.0})
    scatter = wb.add_chart({"type": "scatter"})
    for name, first, last in series:
        colour = _COLOURS[name]
        spec = {"name": name, "categories": [sheet, first, 1, last, 1], "values": [sheet, first, 2, last, 2]}
        if name in ("红线", "黄线"):
            spec.update(line={"color": colour, "width": 1.5, "dash_type": "dash"}, marker={"type": "none"})
        else:
            spec.update(marker={"type": "circle", "size": 6, "border": {"color": colour}, "fill": {"color": colour}})
        scatter.add_series(spec)
    scatter.set_title({"name": "自评得分与执行率", "name_font": {"size": 12}})
    scatter.set_x_axis({"name": "执行率", "min": 0, "max": 1.2, "num_format": "0%", "major_unit": 0.2})
    scatter.set_y_axis({"name": "自评得分", "min": 0, "max": 110, "major_unit": 10, "major_gridlines": {"visible": True}})
    scatter.set_legend({"position": "bottom"})
    ws.insert_chart(35, 6, scatter, {"x_scale": 1.5, "y_scale": 1.5})



def _write_alerts(s: _Sheets, tables) -> None:
    ws = s.wb.add_worksheet("预警")
    df = tables.alerts
    last = s.table(ws, 0, COLUMNS["预警"], df, freeze_cols=2)
    if len(df):
        s.level_colours(ws, 1, last, 0)



def _write_findings(s: _Sheets, tables) -> None:
    """Every finding; file names as text (one link per finding would pass Excel's limit of links on a sheet)."""
    ws = s.wb.add_worksheet("问题清单")
    df = tables.findings
    room = MAX_ROWS - 2
    last = s.table(ws, 0, COLUMNS["问题清单"], df.head(room))
    if len(df) > room:
        ws.write_string(last + 1, 0, f"另有 {len(df) - room} 条超出 Excel 行数上限，见 --json 或 --parquet 输出", s.fm.bold_text)
    if len(df):
        ws.conditional_format(1, 4, last, 4, {"type": "cell", "criteria": "==", "value": '"错误"', "format": s.fm.bad})



def _write_sample(s: _Sheets, sample) -> None:
    ws = s.wb.add_worksheet("抽查")
    if sample is None:
        text = "未抽样：运行时加 --sample N --seed S，按评价等级分层随机抽取 N 份"
    else:
        strata = "，".join(f"{g} {k}/{n}" for g, (n, k) in sample.strata.items())
        total = sum(n for n, _ in sample.strata.values())
        text = (f"按评价等级分层随机抽取：随机种子 {sample.seed}，从 {total} 份中抽取 {len(sample.rows)} 份"
                f"（{strata}）。用同一种子重新运行，得到同一样本。")
    width = sum(c[2] for c in COLUMNS["抽查"])
    ws.set_row(0, row_height([(text, width)], size=11, minimum=24))
    ws.merge_range(0, 0, 0, len(COLUMNS["抽查"]) - 1, text, s.banner)
    drawn = sample.rows if sample is not None else ()
    last = s.table(ws, 2, COLUMNS["抽查"], drawn, freeze_cols=3)
    if len(drawn):
        s.level_colours(ws, 3, last, 8)



def _write_unreadable(s: _Sheets, tables) -> None:
    ws = s.wb.add_worksheet("无法读取")
    s.table(ws, 0, COLUMNS["无法读取"], tables.unreadable)



def _write_duplicates(s: _Sheets, tables) -> None:
    ws = s.wb.add_worksheet("重复提交")
    s.table(ws, 0, COLUMNS["重复提交"], tables.duplicates)
