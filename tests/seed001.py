"""Seed 001's published 表5 (深圳市福田区投资推广署 2020), row by row, as typed in the report.

(分类, 预算项目, 部门预算指标, 结转, 追加, 调整, 年度总指标, 支出数, 剩余指标, 执行进度, 差额原因)
"""

GOV, BASIC, PROJ = "政府投资项目支出", "基本支出", "项目支出(除政府投资项目)"

ROWS = [
    (GOV, "福田区招商引资智能平台建设项目(财政代码 2019-1802)", "-", "-", "57.18", "-", "57.18", "57.18", "-", "100.00%", ""),
    ("政府投资项目支出小计", "", "-", "-", "57.18", "-", "57.18", "57.18", "-", "100.00%", ""),
    (BASIC, "对个人和家庭的补助", "2.60", "-", "-", "-", "2.60", "2.51", "0.09", "96.54%", ""),
    (BASIC, "人员经费", "474.26", "-", "-", "-", "474.26", "457.51", "16.75", "96.47%", ""),
    (BASIC, "公用经费", "66.12", "-", "-", "-", "66.12", "36.33", "29.79", "54.95%", "（见报告）"),
    (BASIC, "其中：公用日常经费", "62.45", "-", "-", "-", "62.45", "32.77", "29.68", "52.47%", "按照物业提供空调电费预计经费报送水电费"),
    (BASIC, "公务用车运行维护费", "3.67", "-", "-", "-", "3.67", "3.56", "0.11", "97.00%", ""),
    ("基本支出小计", "", "542.98", "-", "-", "-", "542.98", "496.35", "46.63", "91.41%", ""),
    (PROJ, "产业发展专项资金-招商引资分项", "28,000.00", "1,774.64", "9,000.00", "-1,947.96", "36,826.68", "36,184.46", "642.22", "98.26%", "调剂至区发改局"),
    (PROJ, "英才荟专项经费", "340.00", "-", "-", "-250.00", "90.00", "41.80", "48.20", "46.44%", "因疫情原因暂无申报"),
    (PROJ, "投资促进管理", "295.00", "-", "186.00", "-100.00", "381.00", "293.38", "87.62", "77.00%", "因疫情防控原因取消"),
    (PROJ, "一般管理事务", "370.48", "-", "0.30", "-", "370.78", "334.07", "36.71", "90.10%", ""),
    (PROJ, "其中：公务接待", "4.85", "-", "-", "-", "4.85", "0.09", "4.76", "1.86%", "疫情期间接待减少"),
    (PROJ, "购置费", "8.40", "-", "-", "-3.00", "5.40", "3.80", "1.60", "70.37%", "两台手提电脑未采购"),
    (PROJ, "预算准备金", "30.00", "-", "-", "-", "30.00", "-", "30.00", "0.00%", ""),
    ("项目支出小计", "", "29,043.88", "1,774.64", "9,186.30", "-2,300.96", "37,703.86", "36,857.51", "846.35", "97.76%", ""),
    ("总计", "", "29,586.86", "1,774.64", "9,243.48", "-2,300.96", "38,304.02", "37,411.04", "892.98", "97.67%", ""),
]
HEAD = ["分类", "预算项目", "部门预算指标(万元)", "上年/历年结转(万元)", "追加指标(万元)", "调整指标(万元)", "年度总指标(万元)",
        "支出数(万元)", "剩余指标(万元)", "执行进度", "执行率差额原因"]


def to_num(s: str) -> float:
    s = s.replace(",", "")
    return 0.0 if s in ("-", "") else float(s.rstrip("%")) / (100 if s.endswith("%") else 1)


def write_official(path, messy: bool = False, mutate=None):
    """The table as an accountant's own workbook: title, 单位：万元, merged 分类 cells, dashes for zero.

    messy=True types every number as text in the ways people do; mutate(rows) may plant mistakes.
    """
    import openpyxl

    rows = [list(r) for r in ROWS]
    if mutate:
        mutate(rows)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门整体支出"
    ws.append(["表 5 2020 年深圳市福田区投资推广署预算整体支出情况表"])
    ws.append(["单位：万元"])
    ws.append(HEAD)
    fw = str.maketrans("0123456789.,-%", "０１２３４５６７８９．，－％")
    start, blocks = None, []
    for i, r in enumerate(rows):
        out = [r[0], r[1]]
        for j, s in enumerate(r[2:10]):
            if messy:
                k = (i + j) % 5
                if s == "-":
                    out.append(["—", "-", None, "－", "-"][k])
                elif k == 0:
                    out.append(s.translate(fw))
                elif k == 1 and not s.endswith("%"):
                    out.append(s + "万元")
                elif k == 2:
                    out.append(" " + s + " ")
                else:
                    out.append(s)
            else:
                out.append(s if s == "-" or s.startswith("#") else to_num(s))  # "#DIV/0!": an error value
        out.append(r[10])
        ws.append(out)
        rr = ws.max_row
        if not messy and r[9].endswith("%"):
            ws.cell(rr, 10).number_format = "0.00%"
        cat = r[0]
        if cat in ("基本支出", "项目支出(除政府投资项目)", "政府投资项目支出"):
            if start is None or start[0] != cat:
                start = [cat, rr, rr]
                blocks.append(start)
            else:
                ws.cell(rr, 1).value = None
                start[2] = rr
        else:
            start = None
    for _, first, last in blocks:  # one merged 分类 cell per block, as Excel allows
        if last > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    wb.save(path)
    return path
