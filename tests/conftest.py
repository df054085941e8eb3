import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lo import soffice  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# A project form filled by hand (财预〔2020〕10号 rules): A=100, B=85 → 8.5; ≥ 20 done 38 → 40; ≤ 2 took 4 → 10 of 20;
# = 1 done 1 → 20; 定性 达成 scored 9 of 10. Total 87.5 → 良.
PROJECT_BY_HAND = {
    "year": 2021, "header": {"ProjectName": "招商专项工作经费", "Department": "投资促进局", "Implementer": "投资促进局"},
    "funds": {"其中：本年财政拨款": [90, 90, 80], "上年结转资金": [10, 10, 5]},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "level3": "签约项目", "nature": "≥", "target": 20, "unit": "个", "actual": 38, "points": 40},
        {"level1": "产出指标", "level2": "时效指标", "level3": "办结时间", "nature": "≤", "target": 2, "unit": "天", "actual": 4, "points": 20},
        {"level1": "效益指标", "level2": "经济效益", "level3": "验收次数", "nature": "=", "target": 1, "unit": "次", "actual": 1, "points": 20},
        {"level1": "满意度指标", "level2": "服务对象满意度", "level3": "企业认可", "nature": "定性", "target": "达成", "actual": "达成", "points": 10, "manual": 9}]}


@pytest.fixture(scope="session")
def example_xlsx(tmp_path_factory):
    from selfeval_xl.app.demo import build_example

    return build_example(tmp_path_factory.mktemp("ex") / "example.xlsx")


needs_lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture
def mock_caller():
    """entry.set_mock_caller for the test, reset afterwards (xlwings' way of running macro code from Python)."""
    from selfeval_xl.addin import entry

    yield entry.set_mock_caller
    entry.set_mock_caller(None)
