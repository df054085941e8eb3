import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lo import soffice  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


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
