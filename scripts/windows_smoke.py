"""Release check in real Excel (Windows or macOS with Excel and xlwings): drive the add-in's actions on the
demo workbook through the xlwings adapter, and check what Excel shows. See docs/addin.md.

    python scripts/windows_smoke.py [--keep]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main() -> int:
    import xlwings as xw

    from selfeval_xl.addin import buttons
    from selfeval_xl.addin.xlwings_port import XlwingsPort
    from selfeval_xl.app.demo import demo_export
    from selfeval_xl.app.marking import clear_marks

    folder = Path(tempfile.mkdtemp(prefix="selfeval-smoke-"))
    src, checked, _ = demo_export(folder)
    app = xw.App(visible=True, add_book=False)
    try:
        book = app.books.open(str(src))
        port = XlwingsPort(book)
        before = book.sheets["表5"].range("K8").color, book.sheets["表5"].range("K8").note
        msg = buttons.validate_action(port)
        assert "0 个错误，3 个警告" in msg, msg
        assert book.sheets["表5"].range("K8").color == (255, 235, 156), "K8 should be marked"
        assert "校验结果" in [s.name for s in book.sheets]
        msg = buttons.score_action(port)
        assert "总分 95.41" in msg, msg
        clear_marks(port)
        after = book.sheets["表5"].range("K8").color, book.sheets["表5"].range("K8").note
        assert after == before, (before, after)
        book.save()
        out = buttons.export_action(port)
        assert out.is_file()
        print(f"smoke test passed: {out}")
        if "--keep" not in sys.argv:
            book.close()
        return 0
    finally:
        if "--keep" not in sys.argv:
            app.quit()


if __name__ == "__main__":
    sys.exit(main())
