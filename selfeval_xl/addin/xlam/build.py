"""`selfeval-xl addin build`: selfeval.xlam from xlwings' ribbon add-in, our macros and our ribbon, on any OS.

Steps, in order (each a `_step_*`): read the base add-in that ships with the installed xlwings; rebuild its
VBA project (ribbon module from macros/*.bas, the xlwings module from xlwings_custom_addin.bas with the
patches of xlam/xlwings_patches.py, project renamed); put in the customUI14 ribbon; rename the config sheet; write a
deterministic zip (fixed timestamps), so that a rebuild is byte-identical."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from selfeval_xl.addin.xlam.vbaproject import module_sources, read_streams, rebuild
from selfeval_xl.addin.xlam.xlwings_patches import patch_xlwings_module
from selfeval_xl.core.record import field, record
from selfeval_xl.errors import ConfigError
from selfeval_xl.writers.atomic import atomic_path

PROJECT = "selfeval"
BASE_RIBBON_MODULE = "RibbonMyAddin"
XLWINGS_MODULE = "xlwings"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CONF_SHEET = f"_{PROJECT}.conf"  # xlwings convention: rename to selfeval.conf to make it active
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def repo_root() -> Path:
    """The source checkout holding macros/ and addin/ (the build's inputs): the one this package runs
    from (an editable install), else the current directory."""
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        if (root / "macros").is_dir() and (root / "addin" / "customUI14.xml").is_file():
            return root
    raise ConfigError("找不到 macros/ 与 addin/customUI14.xml：请在 selfeval-xl 源码目录中运行 addin build")


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).resolve().parent


def xlwings_module() -> str:
    """The add-in's xlwings module: the installed xlwings' custom add-in VBA, patched (xlam/xlwings_patches.py)."""
    return patch_xlwings_module((xlwings_dir() / "xlwings_custom_addin.bas").read_text("ascii"), PROJECT)


def xlwings_version_of(xlam: str | Path) -> str | None:
    """The xlwings version an add-in was built from (its xlwings module's XLWINGS_VERSION), or None."""
    with zipfile.ZipFile(xlam) as z:
        code = module_sources(z.read("xl/vbaProject.bin")).get(XLWINGS_MODULE, "")
    m = re.search(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', code, re.M)
    return m.group(1) if m else None


def module_name(bas: str) -> str:
    m = re.search(r'^Attribute VB_Name = "([^"]+)"', bas, re.M)
    if not m:
        raise ConfigError("宏文件缺少 Attribute VB_Name 行")
    return m.group(1)


@record
class _Build:
    root: Path
    parts: dict[str, bytes] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def _step_read_base(self) -> None:
        base = xlwings_dir() / "quickstart_addin_ribbon.xlam"
        if not base.is_file():
            raise ConfigError(f"已安装的 xlwings 中没有 {base.name}：请安装 xlwings>=0.30")
        with zipfile.ZipFile(base) as z:
            for name in z.namelist():
                self.parts[name] = z.read(name)
                self.order.append(name)

    def _step_vba_project(self) -> None:
        macros = sorted((self.root / "macros").glob("*.bas"))
        if len(macros) != 1:
            raise ConfigError("macros/ 中应只有一个 ribbon 模块（.bas）")
        ribbon = macros[0].read_text("ascii")
        streams = read_streams(self.parts["xl/vbaProject.bin"])
        self.parts["xl/vbaProject.bin"] = rebuild(streams, {
            BASE_RIBBON_MODULE: (module_name(ribbon), ribbon),
            XLWINGS_MODULE: (XLWINGS_MODULE, xlwings_module()),
        }, PROJECT)

    def _step_ribbon(self) -> None:
        old = [n for n in self.order if n.startswith("customUI/")]
        at = self.order.index(old[0]) if old else len(self.order)
        for n in old:
            self.order.remove(n)
            del self.parts[n]
        self.order.insert(at, CUSTOMUI_PART)
        self.parts[CUSTOMUI_PART] = (self.root / "addin" / "customUI14.xml").read_bytes()
        rels = self.parts["_rels/.rels"].decode("utf-8")
        rels = re.sub(r'<Relationship [^>]*ui/extensibility"[^>]*/>', "", rels)
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdSelfevalUI" Type="{CUSTOMUI_REL}" '
                                                f'Target="{CUSTOMUI_PART}" /></Relationships>')
        self.parts["_rels/.rels"] = rels.encode("utf-8")

    def _step_config_sheet(self) -> None:
        wb = self.parts["xl/workbook.xml"].decode("utf-8")
        wb = re.sub(r'<sheet name="_[^"]*\.conf"', f'<sheet name="{CONF_SHEET}"', wb)
        wb = re.sub(r"<mc:AlternateContent.*?</mc:AlternateContent>", "", wb, flags=re.S)  # the author's path
        self.parts["xl/workbook.xml"] = wb.encode("utf-8")

    def _step_write(self, out: Path) -> None:
        with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.order:
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, self.parts[name])


def build_xlam(out: str | Path) -> Path:
    """Build the add-in at out and return its path."""
    out = Path(out)
    b = _Build(repo_root())
    b._step_read_base()
    b._step_vba_project()
    b._step_ribbon()
    b._step_config_sheet()
    b._step_write(out)
    return out
