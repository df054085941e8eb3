"""check-report: the figures of a self-evaluation report (自评报告) checked against each other and, if
given, against the workbook's figures.

    import json
    from decimal import Decimal
    from selfeval_xl.narrative import check_report, to_json, WorkbookFigure
    wb = [WorkbookFigure("年度总指标", Decimal("38304.02"), "万元", "表5!G20", "38,304.02")]
    findings = check_report("报告.docx", workbook=wb)      # list[Finding]
    print(json.dumps(to_json("报告.docx", findings), ensure_ascii=False))

Rules: RPT-SAME, RPT-RATE, RPT-PART-GT, RPT-SUM, RPT-SHARE, RPT-CHANGE, RPT-TBL-RATE, RPT-TBL-REMAIN, RPT-WB
(see findings.RULES and docs/check-report.md).
"""

from selfeval_xl.narrative.blocks import Location
from selfeval_xl.narrative.check import (
           check_document,
           check_report,
           counts,
           exit_code,
           format_text,
           to_json,
)
from selfeval_xl.narrative.errors import ReportReadError
from selfeval_xl.narrative.findings import RULES, Finding
from selfeval_xl.narrative.reading import read_report
from selfeval_xl.narrative.workbook import MEASURES, SUBJECTS, WorkbookFigure, canonical

__all__ = ["check_report", "check_document", "read_report", "to_json", "format_text", "counts", "exit_code",
           "Finding", "Location", "WorkbookFigure", "ReportReadError", "RULES", "MEASURES", "SUBJECTS",
           "canonical"]
