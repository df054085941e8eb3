"""Issue 16: a faster reader and faster rules change nothing — every test workbook's findings (severity, rule, cell,
message) and its 表5 reading (each row's kind and parent) are those recorded in tests/golden/findings.json.
After a deliberate change of a rule or a message: `python3 tests/findings_snapshot.py --write`, and review the diff."""

from __future__ import annotations

import json

import pytest

from findings_snapshot import GOLDEN, snapshot, workbooks


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    return snapshot(workbooks(tmp_path_factory.mktemp("snap")))


RECORDED = json.loads(GOLDEN.read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_findings_and_reading_are_as_recorded(name, current):
    assert current.get(name) == RECORDED[name]


def test_every_workbook_is_recorded(current):
    assert sorted(current) == sorted(RECORDED)
