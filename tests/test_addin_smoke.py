"""Issue 15: the checks of scripts/windows_smoke.py, run here. Its button cycle (校验, 计分, 清除标记, 导出评分表 on
the demo workbook) goes through the same entry points RunPython calls, over the recording fake of xlwings, so
that the script's expectations are known to hold; what only real Excel shows (the VBA, RunPython, the dialogs)
is left to the script itself, on Windows."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from fake_xlwings import FakeBook
from selfeval_xl.addin import entry
from selfeval_xl.addin.xlwings_port import XlwingsPort


def smoke_script():
    spec = importlib.util.spec_from_file_location("windows_smoke", ROOT / "scripts" / "windows_smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_smoke_cycle_holds_through_the_entry_points(example_xlsx, tmp_path, monkeypatch):
    smoke = smoke_script()
    book = FakeBook(Path(shutil.copyfile(example_xlsx, tmp_path / "demo.xlsx")))
    monkeypatch.setattr(entry, "_port", lambda: XlwingsPort(book))
    monkeypatch.setattr(entry, "_open", lambda path: None)

    def press(entry_point: str) -> str:
        before = len(book.app.alerts)
        getattr(entry, entry_point)()
        assert len(book.app.alerts) == before + 1, f"{entry_point} showed no alert"
        return book.app.alerts[-1]

    out = smoke.button_cycle(book, press)
    assert out == tmp_path / "深圳市福田区投资推广署_2020_绩效自评评分表.xlsx" and out.is_file()


def test_the_smoke_cycle_fails_loudly(example_xlsx, tmp_path, monkeypatch):
    """A cycle whose 计分 gives another total stops there, naming what it saw."""
    smoke = smoke_script()
    book = FakeBook(Path(shutil.copyfile(example_xlsx, tmp_path / "demo.xlsx")))
    monkeypatch.setattr(entry, "_port", lambda: XlwingsPort(book))
    answers = {"on_score": "计分完成：总分 34.41，评价等级 差。"}

    def press(entry_point: str) -> str:
        getattr(entry, entry_point)()
        return answers.get(entry_point, book.app.alerts[-1])

    with pytest.raises(smoke.SmokeFailure) as e:
        smoke.button_cycle(book, press)
    assert "计分" in str(e.value) and "34.41" in str(e.value)
