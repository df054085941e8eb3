"""A finance bureau's inbox for the batch tests: 200+ workbooks as they arrive, in folders, a .zip (names in UTF-8
and in GBK, a nested zip, a corrupt member) and .eml mails (attachment names in RFC 2231, RFC 2047 and GBK), plus
files that cannot be read and resubmissions.

The workbooks are variants of the seeds: the bundled example (our dept template, figures changed), seed 001's
official 表5 (clean and messy, some with a planted 小计 error), our project form (execution rates from 50% to 100%,
targets met and missed) and the real published tables of tests/real. `build_tree` returns a Manifest: for every
workbook as the batch lists it, the file it was built as (for the single-file oracle), and the figures put in."""

from __future__ import annotations

import copy
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ARROW = " → "
D = Decimal
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass
class Known:
    """What a variant was built with: its file, and the figures put into it (None: not set by the variant)."""

    file: Path
    rate: Decimal | None = None  # B / A
    budget: Decimal | None = None
    spent: Decimal | None = None
    self_total: Decimal | None = None
    unit: str | None = None
    year: str | None = None  # a real table's year is what it published: the reader may not find it, never another
    project: str | None = None
    planted_error: bool = False
    published: bool = False  # a real published table (tests/real)


@dataclass
class Manifest:
    root: Path
    workbooks: dict[str, Known] = field(default_factory=dict)  # display -> Known
    unreadable: dict[str, str] = field(default_factory=dict)  # display -> a part of the reason
    resent: list[tuple[str, str]] = field(default_factory=list)  # (older display, newer display)
    skipped: int = 0


def _dept_data(k: int) -> tuple[dict, Decimal, Decimal, Decimal]:
    """The bundled example with its unit renamed and spending scaled: (data, A, B, B/A)."""
    from selfeval_xl.app.demo import example_data

    data = copy.deepcopy(example_data())
    scale = (D(1), D("0.9"), D("0.75"), D("0.6"))[k % 4]
    data["info"]["UnitName"] = f"示例市第{k:03d}局"
    total = spent = D(0)
    for block in data["budget"]:
        for row in block["rows"]:
            if "spent" in row:
                row["spent"] = float((D(str(row["spent"])) * scale).quantize(D("0.01")))
            if row.get("kind") == "其中":
                continue
            total += sum((D(str(row.get(f, 0))) for f in ("budget", "carry", "added", "adjust")), D(0))
            spent += D(str(row.get("spent", 0)))
    for q in ("SpendQ1", "SpendQ2", "SpendQ3"):
        data["basic"][q] = float((D(str(data["basic"][q])) * scale).quantize(D("0.01")))
    data["basic"]["SpendQ4"] = float(spent)
    key = "部门绩效/效果性/社会效益、经济效益、生态效益及可持续影响等"
    data["manual"][key] = 20 - (k % 3) * 2
    return data, total, spent, spent / total


def _project_data(k: int, year: int = 2021) -> tuple[dict, Decimal, Decimal]:
    """A project form: A = 100 (90 + 10), B from 100% down to 50%; targets met, or one missed."""
    share = (D(1), D("0.95"), D("0.85"), D("0.7"), D("0.5"))[k % 5]
    spent = (D(100) * share).quantize(D("0.01"))
    miss = k % 3 == 0
    data = {"year": year,
            "header": {"ProjectName": f"示例项目{k:03d}", "Department": "示例市财政局", "Implementer": f"示例单位{k:03d}"},
            "funds": {"其中：本年财政拨款": [90, 90, float(spent - 10)], "上年结转资金": [10, 10, 10]},
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "level3": "培训人次", "nature": "≥", "target": 200, "unit": "人次",
                 "actual": 150 if miss else 240, "points": 40},
                {"level1": "产出指标", "level2": "时效指标", "level3": "完成时间", "nature": "≤", "target": 30, "unit": "天",
                 "actual": 28, "points": 20},
                {"level1": "效益指标", "level2": "社会效益", "level3": "覆盖街道", "nature": "=", "target": 10, "unit": "个",
                 "actual": 10, "points": 20},
                {"level1": "满意度指标", "level2": "服务对象满意度", "level3": "满意度", "nature": "定性", "target": "达成",
                 "actual": "达成", "points": 10, "manual": 9 + (k % 2)}]}
    return data, D(100), spent


def build_dept_variant(path: Path, k: int) -> Known:
    from selfeval_xl.writers.templates import build_dept

    data, total, spent, rate = _dept_data(k)
    build_dept(path, data)
    return Known(path, rate, total, spent, unit=data["info"]["UnitName"], year=str(data["info"]["Year"]))


def build_project_variant(path: Path, k: int) -> Known:
    from selfeval_xl.writers.templates import build_project

    data, budget, spent = _project_data(k)
    build_project(path, data)
    return Known(path, spent / budget, budget, spent, unit=data["header"]["Implementer"], year=str(data["year"]),
                 project=data["header"]["ProjectName"])


def build_official_variant(path: Path, k: int) -> Known:
    from seed001 import write_official

    planted = k % 4 == 0

    def mutate(rows):
        if planted:
            rows[1][7] = "58.18"  # 政府投资项目支出小计 支出数 ≠ 57.18 above it

    write_official(path, messy=k % 2 == 1, mutate=mutate)
    return Known(path, D("37411.04") / D("38304.02"), D("38304.02"), D("37411.04"), planted_error=planted)


def build_real(path: Path, doc: dict) -> Known:
    from real.build import build

    build(doc, path)
    total = (doc.get("published") or {}).get("total")
    return Known(path, self_total=None if total is None else D(str(total)),
                 year=None if doc.get("year") is None else str(doc["year"]), published=True)


def real_docs() -> list[tuple[str, dict]]:
    out = []
    for y in sorted((HERE / "real").glob("*/*.yaml")):
        with open(y, encoding="utf-8") as fh:
            out.append((f"{y.parent.name}-{y.stem}", yaml.safe_load(fh)))
    return out


class _GbkInfo(zipfile.ZipInfo):
    """An entry whose name is stored in GBK without the UTF-8 flag, as zips made on Chinese Windows are."""

    def _encodeFilenameFlags(self):
        return self.orig_name.encode("gbk"), self.flag_bits & ~0x800


def _zip_add(z: zipfile.ZipFile, name: str, data: bytes, gbk: bool = False) -> None:
    if gbk:
        info = _GbkInfo(name, date_time=(2024, 3, 1, 9, 0, 0))
        info.orig_name = name
    else:
        info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 9, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)


def _mail(subject: str, attachments: list[tuple[str, bytes]], style: str = "2231") -> bytes:
    """A mail with the workbooks attached; style names how the attachment names are written:
    2231 (filename*=utf-8''…), 2047 (=?utf-8?b?…?= only, as old Outlook writes), gbk (filename*=gbk''…)."""
    import base64
    from urllib.parse import quote

    msg = EmailMessage()
    msg["From"] = "unit@example.cn"
    msg["To"] = "jxk@czj.example.cn"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 01 Mar 2024 10:00:00 +0800"
    msg.set_content("请查收绩效自评表。")
    for name, data in attachments:
        msg.add_attachment(data, maintype=XLSX[0] if name.endswith(".xlsx") else "application",
                           subtype=XLSX[1] if name.endswith(".xlsx") else "octet-stream", filename="x")
        part = msg.get_payload()[-1]
        del part["Content-Disposition"]
        if style == "2047":
            word = "=?utf-8?b?" + base64.b64encode(name.encode()).decode() + "?="
            part["Content-Disposition"] = f'attachment; filename="{word}"'
        elif style == "gbk":
            part["Content-Disposition"] = f"attachment; filename*=gbk''{quote(name.encode('gbk'))}"
        else:
            part["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(name)}"
    return msg.as_bytes()


def shown(path: Path) -> str:
    """A file as the batch lists it when given the folder 收件箱 under a root: 收件箱/….xlsx."""
    parts = path.parts
    return os.path.join(*parts[parts.index("收件箱"):])


def build_tree(root: Path, work: Path) -> Manifest:
    """The inbox under root (work holds the files as built, for the oracle). About 215 workbooks."""
    m = Manifest(root)
    inbox = root / "收件箱"
    for sub in ("部门整体", "表5", "项目", "公开表", "重发", "坏文件"):
        (inbox / sub).mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)

    def place(known: Known, folder: str, name: str) -> str:
        target = inbox / folder / name
        shutil.copyfile(known.file, target)
        display = shown(target)
        m.workbooks[display] = known
        return display

    for k in range(60):
        place(build_dept_variant(work / f"dept{k}.xlsx", k), "部门整体", f"示例市第{k:03d}局_2020年部门整体支出绩效自评.xlsx")
    for k in range(40):
        place(build_official_variant(work / f"b5_{k}.xlsx", k), "表5", f"表5_预算整体支出情况表_{k:02d}.xlsx")
    for k in range(60):
        place(build_project_variant(work / f"proj{k}.xlsx", k), "项目", f"示例项目{k:03d}_2021年项目支出绩效自评表.xlsx")
    sent = [("dept3", "部门整体", f"示例市第{3:03d}局_2020年部门整体支出绩效自评.xlsx"),
            ("proj7", "项目", f"示例项目{7:03d}_2021年项目支出绩效自评表.xlsx")]
    for name, doc in real_docs():
        place(build_real(work / f"{name}.xlsx", doc), "公开表", f"{name}.xlsx")
        if doc.get("form") == "national-project" and len(sent) < 7:
            sent.append((name, "公开表", f"{name}.xlsx"))
    # resubmissions, sent again later: two of our variants (unit and year known: the later copy counts) and five
    # published tables (the later copy counts where the reader finds their unit and year)
    old = 1_700_000_000
    for name, folder, file in sent:
        first = shown(inbox / folder / file)
        os.utime(inbox / folder / file, (old, old))
        m.resent.append((first, place(m.workbooks[first], "重发", f"{name}（修改后）.xlsx")))
    # bad files
    bad = inbox / "坏文件"
    (bad / "空文件.xlsx").write_bytes(b"")
    (bad / "不是表格.xlsx").write_text("这不是工作簿", "utf-8")
    (bad / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (bad / "加密.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"))
    whole = (work / "proj1.xlsx").read_bytes()
    (bad / "下载不完整.xlsx").write_bytes(whole[: len(whole) // 2])
    import openpyxl

    blank = openpyxl.Workbook()
    blank.active["A1"] = "通知：请各单位按时报送"
    blank.save(bad / "没有表格.xlsx")
    (bad / "压缩包.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (bad / "自评报告.pdf").write_bytes(b"%PDF-1.4\n")  # not ours: skipped
    (bad / "~$示例项目001_2021年项目支出绩效自评表.xlsx").write_bytes(b"lock")  # Excel's lock file: passed over
    m.skipped = 1
    for name, part in (("空文件.xlsx", "空文件"), ("不是表格.xlsx", "不是有效的 .xlsx"), ("旧格式.xls", "旧版 .xls"),
                       ("加密.xlsx", "已加密"), ("下载不完整.xlsx", "xlsx"), ("没有表格.xlsx", "没有找到"),
                       ("压缩包.rar", "RAR")):
        m.unreadable[shown(bad / name)] = part
    _build_zip(m, inbox, work)
    _build_mails(m, inbox, work)
    return m


def _build_zip(m: Manifest, inbox: Path, work: Path) -> None:
    """20 project forms and 2 in a nested zip; half the names in GBK; a corrupt member; a Mac resource fork."""
    path = inbox / "区县汇总材料.zip"
    with zipfile.ZipFile(path, "w") as z:
        for k in range(100, 120):
            known = build_project_variant(work / f"proj{k}.xlsx", k)
            name = f"第{k - 99:02d}单位/示例项目{k:03d}_项目支出绩效自评表.xlsx"
            _zip_add(z, name, known.file.read_bytes(), gbk=k % 2 == 0)
            m.workbooks[shown(path) + ARROW + name] = known
        inner_path = work / "inner.zip"
        with zipfile.ZipFile(inner_path, "w") as inner:
            for k in range(120, 122):
                known = build_project_variant(work / f"proj{k}.xlsx", k)
                _zip_add(inner, f"示例项目{k:03d}.xlsx", known.file.read_bytes())
                m.workbooks[shown(path) + ARROW + "补报/补报材料.zip" + ARROW + f"示例项目{k:03d}.xlsx"] = known
        _zip_add(z, "补报/补报材料.zip", inner_path.read_bytes())
        _zip_add(z, "第21单位/损坏的自评表.xlsx", b"PK\x03\x04 broken")
        _zip_add(z, "__MACOSX/第01单位/._示例项目100_项目支出绩效自评表.xlsx", b"\0\5\26\7")
        _zip_add(z, "说明.txt", "各单位材料".encode())
    m.unreadable[shown(path) + ARROW + "第21单位/损坏的自评表.xlsx"] = "损坏的自评表.xlsx"


def _build_mails(m: Manifest, inbox: Path, work: Path) -> None:
    from selfeval_xl.mail.message import build_message, to_bytes

    mail = inbox / "邮件"
    mail.mkdir()
    # 1. sent by selfeval-xl itself (RFC 2231 and RFC 2047 both)
    known = build_project_variant(work / "proj130.xlsx", 130)
    named = work / "示例项目130_项目支出绩效自评表.xlsx"
    shutil.copyfile(known.file, named)
    msg = build_message(named, "unit130@example.cn", ["jxk@czj.example.cn"], [], "示例单位130 绩效自评表", "请查收")
    (mail / "示例单位130.eml").write_bytes(to_bytes(msg))
    m.workbooks[shown(mail / "示例单位130.eml") + ARROW + named.name] = known
    # 2. two workbooks, names only in RFC 2047
    atts = []
    for k in (131, 132):
        known = build_project_variant(work / f"proj{k}.xlsx", k)
        atts.append((f"示例项目{k:03d}自评表.xlsx", known.file.read_bytes()))
        m.workbooks[shown(mail / "两个附件.eml") + ARROW + atts[-1][0]] = known
    (mail / "两个附件.eml").write_bytes(_mail("两个项目的自评表", atts, "2047"))
    # 3. a GBK name (filename*=gbk''…) and a zip attachment holding a dept workbook
    known = build_project_variant(work / "proj133.xlsx", 133)
    dept = build_dept_variant(work / "dept200.xlsx", 200)
    packed = work / "packed.zip"
    with zipfile.ZipFile(packed, "w") as z:
        _zip_add(z, "部门整体支出绩效自评.xlsx", dept.file.read_bytes())
    (mail / "GBK附件.eml").write_bytes(_mail("自评表（GBK 文件名）", [("示例项目133绩效自评.xlsx", known.file.read_bytes()),
                                                                      ("部门自评.zip", packed.read_bytes())], "gbk"))
    m.workbooks[shown(mail / "GBK附件.eml") + ARROW + "示例项目133绩效自评.xlsx"] = known
    m.workbooks[shown(mail / "GBK附件.eml") + ARROW + "部门自评.zip" + ARROW + "部门整体支出绩效自评.xlsx"] = dept
    # 4. a mail with the report only
    (mail / "只有报告.eml").write_bytes(_mail("自评报告", [("自评报告.pdf", b"%PDF-1.4\n")]))
    m.unreadable[shown(mail / "只有报告.eml")] = "没有 Excel 工作簿附件（附件：自评报告.pdf）"
