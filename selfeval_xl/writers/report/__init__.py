"""The draft self-evaluation report (自评报告, .docx): figures.collect gathers the workbook's figures as it shows
them, writer.write_report prints them in the structure units publish (see docs/report.md)."""

from selfeval_xl.writers.report.writer import write_report

__all__ = ["write_report"]
