"""`selfeval-xl batch` on a finance bureau's inbox of 200+ workbooks (tests/batch_tree.py): every figure of the
JSON checked against the single-file use cases (validate, score) and against the figures the variants were built
with; every sheet of the consolidation workbook checked against the JSON; the Dask cluster's result identical to
the local one; a worker that dies costs one file, not the batch."""

from __future__ import annotations

import importlib.util
import io
import json
import multiprocessing
import os
import zipfile
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from batch_tree import build_tree
from conftest import needs_lo

from selfeval_xl.app.batch import review_batch, run_batch
from selfeval_xl.core.money import pct_points, xround
from selfeval_xl.errors import ConfigError, FileError, InputError


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("bureau")
    return build_tree(root, tmp_path_factory.mktemp("built"))


def _run(paths, out: Path, **kw) -> tuple[int, dict]:
    buf = io.StringIO()
    rc = run_batch(paths, out, json_out="-", stdout=buf, **kw)
    return rc, json.loads(buf.getvalue())


@pytest.fixture(scope="module")
def local(tree, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    parquet = out / "汇总.parquet" if importlib.util.find_spec("pyarrow") else None
    rc, doc = _run([tree.root / "收件箱"], out / "汇总.xlsx", jobs=2, sample=25, seed=7, parquet=parquet)
    return rc, doc, out / "汇总.xlsx", parquet


@pytest.fixture(scope="module")
def oracle(tree):
    """Each workbook through the single-file use cases: (Checked, ScoreResult or None)."""
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate

    out = {}
    for display, known in tree.workbooks.items():
        checked = validate(known.file)
        try:
            result = score(checked)
        except ConfigError:
            result = None
        out[display] = (checked, result)
    return out


def _f(v):
    return None if v is None else float(v)


def test_the_tree_is_as_big_as_asked(tree, local):
    rc, doc, _, _ = local
    s = doc["summary"]
    assert len(tree.workbooks) >= 200
    assert s["files"] == len(tree.workbooks) + len(tree.unreadable) == s["read"] + s["unreadable"] + s["duplicates"]
    assert s["skipped"] == tree.skipped == 1
    assert rc == s["exit"] == 1  # some workbooks have errors, some files cannot be read


def test_every_workbook_as_the_single_file_commands_see_it(tree, local, oracle):
    _, doc, _, _ = local
    listed = {w["file"] for w in doc["workbooks"]} | {d["file"] for d in doc["duplicates"]}
    assert listed == set(tree.workbooks)
    assert [w["file"] for w in doc["workbooks"]] == sorted(w["file"] for w in doc["workbooks"])
    for w in doc["workbooks"]:
        checked, result = oracle[w["file"]]
        findings = checked.all_findings
        assert w["findings"] == [f.as_dict() for f in findings], w["file"]
        assert w["counts"] == checked.counts(), w["file"]
        assert w["exit"] == (1 if checked.counts()["error"] else 0)
        assert w["unit"] == str(checked.wb.info.get("UnitName") or "").strip()
        assert w["kind"] == checked.wb.kind
        if checked.wb.forms:
            assert w["forms"] == [f.name for f in checked.wb.forms]
        if result is None:
            assert w["total"] is None and w["grade"] is None and w["note"].startswith("未计分：")
        else:
            assert w["total"] == float(result.total) and w["grade"] == result.grade, w["file"]
            if result.self_total is not None:
                assert w["self_total"] == float(result.self_total)
            if result.self_sum is not None:
                assert w["self_sum"] == float(result.self_sum)
            fund = result.fund
            if fund is not None:  # the 预算执行 block as the scoring reads it
                assert w["fund"] == {"points": _f(fund.points), "score": _f(fund.score), "self_score": _f(fund.self_score)}
                assert (w["budget"], w["spent"], w["rate"]) == (_f(fund.budget), _f(fund.spent), _f(pct_points(fund.rate)))
        if w["self_total"] is not None and w["total"] is not None:
            assert w["difference"] == float(D(str(w["self_total"])) - D(str(w["total"])))


def test_the_figures_the_variants_were_built_with(tree, local):
    _, doc, _, _ = local
    by_file = {w["file"]: w for w in doc["workbooks"]}
    checked = 0
    for display, known in tree.workbooks.items():
        w = by_file.get(display)
        if w is None:
            continue
        if known.rate is not None:
            assert w["rate"] == float(pct_points(known.rate)), display
            assert w["budget"] == float(known.budget) and w["spent"] == float(known.spent), display
            checked += 1
        if known.project is not None:  # our project form: its 得分 are formulas, so the unit's figures = the rule's
            assert w["project"] == known.project
            assert w["self_total"] == w["total"] and w["difference"] == 0
            assert w["fund"] == {"points": 10.0, "score": float(xround(min(known.rate, D(1)) * 10)),
                                 "self_score": float(xround(min(known.rate, D(1)) * 10))}
        if known.unit is not None:
            assert w["unit"] == known.unit
        if known.year is not None:  # our variants: their year; a published table: its year, or none found
            assert w["year"] == known.year or (known.published and w["year"] == ""), display
        if known.self_total is not None:  # a real published table: its 总分 as the unit published it
            assert w["self_total"] == float(known.self_total), display
        if known.planted_error:
            assert any(f["rule"].startswith("B5") and f["severity"] == "error" for f in w["findings"]), display
    assert checked >= 180
    assert by_file["收件箱/部门整体/示例市第000局_2020年部门整体支出绩效自评.xlsx"]["total"] == 95.41  # the example as published


def _indicator_gap(w, result) -> D:
    """Σ指标得分 / 指标分值 − 执行率得分 / 执行率分值, from the rule's items (our project form's 得分 are its formulas)."""
    fund = next(i for i in result.items if i.path[-1].endswith("预算执行率"))
    others = [i for i in result.items if i is not fund and i.max > 0]
    return sum(i.score for i in others) / sum(i.max for i in others) - fund.score / fund.max


def test_alerts_follow_the_rules_with_the_figures_in_words(tree, local, oracle):
    _, doc, _, _ = local
    reds = yellows = 0
    for w in doc["workbooks"]:
        known = tree.workbooks[w["file"]]
        kinds = {a["rule"] or a["kind"] for a in w["alerts"]}
        _, result = oracle[w["file"]]
        if known.project is not None:
            assert ("S-OVERSCORE" in kinds) == (_indicator_gap(w, result) > D("0.05")), w["file"]
        if known.rate is not None:
            assert ("S-UNSPENT" in kinds) == (known.rate < D("0.8")), w["file"]
            if known.rate < D("0.8"):
                a = next(a for a in w["alerts"] if a["rule"] == "S-UNSPENT")
                assert f"{pct_points(known.rate)}%" in a["reason"] and a["level"] == "yellow" and a["cell"]
        assert ("有错误" in kinds) == (w["counts"]["error"] > 0)
        level = "red" if any(a["level"] == "red" for a in w["alerts"]) else "yellow" if w["alerts"] else None
        assert w["alert"] == level
        reds += level == "red"
        yellows += level == "yellow"
        for a in w["alerts"]:
            if a["rule"] == "S-OVERSCORE":
                assert a["level"] == "red" and "百分点" in a["reason"]
            if a["rule"] == "S-SELF-HIGH":
                assert a["level"] == "yellow" and "满分" in a["reason"]
    assert doc["summary"]["red"] == reds > 40 and doc["summary"]["yellow"] == yellows > 10
    suixi = next(w for w in doc["workbooks"] if "suixi" in w["file"])  # two unmet targets scored in full, as published
    assert sum(a["rule"] == "S-SELF-HIGH" for a in suixi["alerts"]) >= 2


def test_unreadable_files_each_with_one_line_and_resubmissions_listed(tree, local):
    _, doc, _, _ = local
    reasons = {u["file"]: u["reason"] for u in doc["unreadable"]}
    assert set(reasons) == set(tree.unreadable)
    for f, part in tree.unreadable.items():
        assert part in reasons[f] and "\n" not in reasons[f] and "Traceback" not in reasons[f], (f, reasons[f])
    assert all(u["exit"] == 2 for u in doc["unreadable"])
    by_file = {w["file"]: w for w in doc["workbooks"]}
    expected = []
    for older, newer in tree.resent:
        kept = by_file[newer]
        if kept["unit"] and kept["year"]:
            expected.append({"file": older, "kept": newer, "unit": kept["unit"], "year": kept["year"]})
        else:  # unit or year unknown: never taken for a duplicate
            assert older in by_file
    got = [{k: d[k] for k in ("file", "kept", "unit", "year")} for d in doc["duplicates"]]
    assert got == sorted(expected, key=lambda d: d["file"]) and len(got) >= 2
    old = datetime.fromtimestamp(1_700_000_000).isoformat(timespec="seconds")  # the first copies' time
    assert all(d["received"] == old for d in doc["duplicates"])
    gbk = [f for f in by_file if "区县汇总材料.zip" in f]
    assert len(gbk) == 22 and all("示例项目" in f for f in gbk)  # GBK and UTF-8 names both decoded
    mails = sorted(f for f in by_file if ".eml" in f)
    assert mails == sorted(["收件箱/邮件/GBK附件.eml → 示例项目133绩效自评.xlsx",
                            "收件箱/邮件/GBK附件.eml → 部门自评.zip → 部门整体支出绩效自评.xlsx",
                            "收件箱/邮件/两个附件.eml → 示例项目131自评表.xlsx", "收件箱/邮件/两个附件.eml → 示例项目132自评表.xlsx",
                            "收件箱/邮件/示例单位130.eml → 示例项目130_项目支出绩效自评表.xlsx"])


def _rows(ws, first: int = 2):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def _near(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def test_the_consolidation_workbook_shows_what_the_json_says(local):
    _, doc, out, _ = local
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "分布", "预警", "问题清单", "抽查", "无法读取", "重复提交"]
    ws = wb["汇总"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:S{len(doc['workbooks']) + 1}"
    assert len(ws.conditional_formatting) >= 5
    rows = _rows(ws)
    assert len(rows) == len(doc["workbooks"])
    level = {"red": "红色", "yellow": "黄色", None: None}
    for i, (row, w) in enumerate(zip(rows, doc["workbooks"]), start=2):
        (n, file, unit, year, forms, project, self_total, total, diff, grade, rate, budget, spent, errors, warnings, infos,
         alert, kinds, note) = row
        assert n == i - 1 and file == w["file"] and (unit or "") == w["unit"] and (year or "") == w["year"]
        assert (forms or "") == "、".join(w["forms"]) and (project or "") == w["project"]
        assert _near(self_total, w["self_total"]) and _near(total, w["total"]) and _near(diff, w["difference"])
        assert grade == w["grade"] and _near(budget, w["budget"]) and _near(spent, w["spent"])
        assert (rate is None) == (w["rate"] is None) and (rate is None or abs(rate * 100 - w["rate"]) <= 0.005)
        assert [errors, warnings, infos] == [w["counts"][k] for k in ("error", "warning", "info")]
        assert alert == level[w["alert"]] and (kinds or "") == "、".join(dict.fromkeys(a["kind"] for a in w["alerts"]))
        assert (note or None) == w["note"]
        link = ws.cell(i, 2).hyperlink.target.replace("\\", "/")
        assert os.path.samefile(out.parent / link, w["link"]), (link, w["link"])

    alerts = [(level[a["level"]], w["file"], w["unit"], w["project"], a["kind"], a["reason"], a["cell"])
              for w in doc["workbooks"] for a in w["alerts"]]
    alerts.sort(key=lambda a: (a[0] != "红色", a[1]))
    assert [tuple(x or "" for x in r) for r in _rows(wb["预警"])] == [tuple(x or "" for x in a) for a in alerts]

    zh = {"error": "错误", "warning": "警告", "info": "提示"}
    findings = [(w["file"], w["unit"], f["sheet"], f["cell"], zh[f["severity"]], f["rule"], f["message"])
                for w in doc["workbooks"] for f in w["findings"]]
    assert [tuple(x or "" for x in r) for r in _rows(wb["问题清单"])] == [tuple(x or "" for x in f) for f in findings]

    assert [tuple(r[:2]) for r in _rows(wb["无法读取"])] == [(u["file"], u["reason"]) for u in doc["unreadable"]]
    dup = [(r[0], r[1], r[2], r[3], r[4] or "", r[5].isoformat(), r[6]) for r in _rows(wb["重复提交"])]
    assert dup == [(d["file"], d["unit"], d["year"], "、".join(d["forms"]), d["project"], d["received"], d["kept"])
                   for d in doc["duplicates"]]
    sample = _rows(wb["抽查"], 4)
    assert [r[2] for r in sample] == doc["sample"]["files"] and [r[0] for r in sample] == list(range(1, 26))
    by_file = {w["file"]: w for w in doc["workbooks"]}
    for r in sample:
        w = by_file[r[2]]
        assert r[1] == (w["grade"] if w["total"] is not None else "未计分") and _near(r[5], w["self_total"])
        assert _near(r[6], w["total"]) and r[8] == level[w["alert"]] and r[9:] == [None, None, None]
    assert f"随机种子 {doc['sample']['seed']}" in wb["抽查"]["A1"].value


def test_the_distribution_sheet_counts_and_charts(local):
    _, doc, out, _ = local
    ws = openpyxl.load_workbook(out)["分布"]
    col_a = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    s = doc["summary"]
    for label, key in (("文件总数", "files"), ("已读取", "read"), ("无法读取", "unreadable"), ("重复提交（未计入）", "duplicates"),
                       ("有错误的工作簿", "with_errors"), ("红色预警", "red"), ("黄色预警", "yellow")):
        assert ws.cell(col_a[label], 2).value == s[key], label
    top = col_a["分数段"]
    bands = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(top + 1, top + 11)]
    assert bands == [(b["band"], b["self"], b["rule"]) for b in doc["distribution"]["bands"]]

    def band(x):
        return min(int(x // 10), 9)
    for key, col in (("self_total", 1), ("total", 2)):
        counts = [0] * 10
        for w in doc["workbooks"]:
            if w[key] is not None:
                counts[band(w[key])] += 1
        assert [b[col] for b in bands] == counts, key
    g = col_a["评价等级"]
    grades = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(g + 1, g + 1 + len(doc["distribution"]["grades"]))}
    assert grades == doc["distribution"]["grades"]
    by_hand = {}
    for w in doc["workbooks"]:
        k = w["grade"] if w["total"] is not None else "未计分"
        by_hand[k] = by_hand.get(k, 0) + 1
    assert {k: v for k, v in grades.items() if v} == by_hand
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert len(charts) == 3 and sum("<c:barChart>" in c for c in charts) == 2
    scatter = next(c for c in charts if "<c:scatterChart>" in c)
    for name in ("红线", "黄线", "红色预警", "黄色预警", "无预警"):
        assert f"<c:v>{name}</c:v>" in scatter, name


def test_the_same_seed_gives_the_same_sample(tree, local):
    _, doc, _, _ = local
    again = review_batch([tree.root / "收件箱"], jobs=1, sample=25, seed=7, progress=False)
    assert list(again.sample.rows["file"]) == doc["sample"]["files"]
    other = review_batch([tree.root / "收件箱"], jobs=1, sample=25, seed=8, progress=False)
    assert list(other.sample.rows["file"]) != doc["sample"]["files"]
    strata = doc["sample"]["strata"]
    total = sum(s["workbooks"] for s in strata.values())
    assert sum(s["drawn"] for s in strata.values()) == 25
    for grade, s in strata.items():  # at least one from every grade, the rest in proportion
        assert s["drawn"] >= 1 and abs(s["drawn"] - 25 * s["workbooks"] / total) < 2, (grade, s)
    by_size = sorted(strata.values(), key=lambda s: s["workbooks"])
    assert [s["drawn"] for s in by_size] == sorted(s["drawn"] for s in by_size)  # a larger grade never gets fewer
    by_file = {w["file"]: w for w in doc["workbooks"]}
    for f in doc["sample"]["files"]:
        assert f in by_file


def test_parquet_for_analysts(local):
    import pandas as pd

    _, doc, _, parquet = local
    if parquet is None:
        pytest.skip("pyarrow not installed (the parquet extra)")
    df = pd.read_parquet(parquet)
    assert len(df) == doc["summary"]["files"]
    assert (df["status"] == "已读取").sum() == doc["summary"]["read"]
    read = df[df["status"] == "已读取"].set_index("file")
    for w in doc["workbooks"]:
        row = read.loc[w["file"]]
        assert (row["total"] is None and w["total"] is None) or D(row["total"]) == D(str(w["total"]))
        assert row["errors"] == w["counts"]["error"] and len(row["findings"]) == len(w["findings"])
        if w["rate"] is not None:
            assert float(pct_points(row["rate"])) == w["rate"]


def test_dask_cluster_gives_the_local_result(tree, local, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, doc, _, _ = local
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        rc, remote = _run([tree.root / "收件箱"], tmp_path / "集群汇总.xlsx", scheduler=cluster.scheduler_address,
                          sample=25, seed=7)
    assert rc == 1 and remote == doc


def test_an_unreachable_scheduler_is_one_line(tree, tmp_path):
    pytest.importorskip("distributed")
    with pytest.raises(InputError, match="无法连接集群调度器 tcp://127.0.0.1:9"):
        run_batch([tree.root / "收件箱" / "项目"], tmp_path / "x.xlsx", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "x.xlsx").exists()


def test_exit_codes(tree, tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    for k in (5, 10, 20):  # 100% spent, every target met, no errors
        src = tree.root / "收件箱" / "项目" / f"示例项目{k:03d}_2021年项目支出绩效自评表.xlsx"
        (good / src.name).write_bytes(src.read_bytes())
    rc, doc = _run([good], tmp_path / "a.xlsx", jobs=2)
    assert rc == 0 and doc["summary"]["read"] == 3 and not doc["unreadable"]
    rc, doc = _run([tree.root / "收件箱" / "坏文件", tmp_path / "没有这个文件.xlsx"], tmp_path / "b.xlsx")
    assert rc == 2 and doc["summary"]["read"] == 0 and len(doc["unreadable"]) == 8
    assert any("找不到文件" in u["reason"] for u in doc["unreadable"])
    rc, doc = _run([good, tree.root / "收件箱" / "坏文件" / "空文件.xlsx"], tmp_path / "c.xlsx")
    assert rc == 1  # all read but one file


def test_outputs_are_not_read_back_nor_overwritten_without_force(tree, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    src = tree.root / "收件箱" / "项目" / "示例项目005_2021年项目支出绩效自评表.xlsx"
    (folder / src.name).write_bytes(src.read_bytes())
    out = folder / "汇总.xlsx"
    rc, _ = _run([folder], out)
    with pytest.raises(FileError, match="已存在"):
        run_batch([folder], out)
    rc, doc = _run([folder], out, force=True)
    assert rc == 0 and doc["summary"]["files"] == 1  # the previous 汇总.xlsx is not taken for a workbook


def test_summary_on_stdout_and_progress_only_on_a_terminal(tree, tmp_path, capsys):
    from selfeval_xl.app.batch.progress import Progress

    buf = io.StringIO()
    rc = run_batch([tree.root / "收件箱" / "邮件"], tmp_path / "m.xlsx", stdout=buf, jobs=1)
    text = buf.getvalue()
    assert rc == 1 and text.startswith("共 6 个文件：已读取 5 个，无法读取 1 个，重复提交 0 个") and f"已写出：{tmp_path / 'm.xlsx'}" in text
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: no progress

    class Tty(io.StringIO):
        def isatty(self):
            return True
    tty = Tty()
    bar = Progress(4, stream=tty, every=0)
    for _ in range(4):
        bar.step()
    bar.close()
    lines = tty.getvalue().split("\r")
    assert lines[-1].startswith("已处理 4/4 个文件，每秒 ") and "预计还需 00:00" in lines[-1] and tty.getvalue().endswith("\n")
    assert lines[1].startswith("已处理 1/4 个文件")


def _crash_on_marked(jobs):
    """A job runner that kills its worker on the file named 崩溃 (as a library crash would)."""
    from selfeval_xl.app.batch.job import run_chunk

    if any("崩溃" in j.display for j in jobs):
        os._exit(1)
    return run_chunk(jobs)


def test_a_worker_that_dies_costs_one_file_not_the_batch(tree, tmp_path, monkeypatch):
    from selfeval_xl.app.batch import execute

    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(12):
        src = tree.root / "收件箱" / "项目" / f"示例项目{k:03d}_2021年项目支出绩效自评表.xlsx"
        (folder / src.name).write_bytes(src.read_bytes())
    (folder / "崩溃.xlsx").write_bytes(src.read_bytes())
    monkeypatch.setattr(execute, "run_chunk", _crash_on_marked)
    monkeypatch.setattr(execute, "_context", lambda: multiprocessing.get_context("fork"))  # the patch reaches workers
    batch = review_batch([folder], jobs=2, progress=False)
    assert [u.source.display for u in batch.outcome.unreadable] == ["in/崩溃.xlsx"]
    assert batch.outcome.unreadable[0].reason == execute.CRASHED
    assert len(batch.outcome.reviewed) == 12


@needs_lo
def test_libreoffice_prints_the_charts_and_tables(local, tmp_path):
    from lo import convert
    from pypdf import PdfReader

    _, doc, out, _ = local
    pdf = convert(out, tmp_path, "pdf")
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    text = "\n".join(pages)
    for title in ("总分分布（份数）", "评价等级（份数）", "自评得分与执行率", "绩效自评汇总：概况与分布"):
        assert title in text, title
    assert doc["workbooks"][0]["file"] in text.replace("\n", "")
