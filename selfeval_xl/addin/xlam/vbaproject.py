"""Rewrite a VBA project (vbaProject.bin): replace and rename modules, rename the project.

Only source is written: the base project's _VBA_PROJECT has version 0xFFFF (no compiled p-code,
MS-OVBA §2.3.4.1), so Excel compiles the modules from source; replaced modules start at offset 0."""

from __future__ import annotations

import struct

from selfeval_xl.addin.xlam.cfb import write_cfb
from selfeval_xl.addin.xlam.ovba import compress, decompress
from selfeval_xl.core.record import record
from selfeval_xl.errors import BuildError

PROJECTCODEPAGE, PROJECTNAME, PROJECTVERSION = 0x0003, 0x0004, 0x0009
MODULENAME, MODULENAMEUNICODE, MODULESTREAMNAME, MODULESTREAMNAMEUNICODE = 0x0019, 0x0047, 0x001A, 0x0032
MODULEOFFSET, MODULETERMINATOR = 0x0031, 0x002B


class VbaProjectError(BuildError):
    """The base project is not laid out as MS-OVBA describes."""


@record
class Record:
    id: int
    data: bytes


def parse_dir(raw: bytes) -> list[Record]:
    """The decompressed dir stream as (id, data) records, in order."""
    out, pos = [], 0
    while pos < len(raw):
        if pos + 6 > len(raw):
            raise VbaProjectError("xlwings 的加载项 VBA 工程 dir 流在记录头中截断（MS-OVBA §2.3.4），请重新安装 xlwings")
        rid, size = struct.unpack_from("<HI", raw, pos)
        pos += 6
        if rid == PROJECTVERSION:  # §2.3.4.2.1.11: Reserved=4, then 6 bytes of version
            size = 6
        out.append(Record(rid, raw[pos:pos + size]))
        pos += size
    return out


def dump_dir(records: list[Record]) -> bytes:
    return b"".join(struct.pack("<HI", r.id, 4 if r.id == PROJECTVERSION else len(r.data)) + r.data for r in records)


def _module_names(records: list[Record], codepage: str) -> list[str]:
    return [r.data.decode(codepage) for r in records if r.id == MODULENAME]


def project_wm(names: list[str], codepage: str) -> bytes:
    """PROJECTwm (§2.3.3): each module name in MBCS then UTF-16, zero-terminated; then a final zero."""
    return b"".join(n.encode(codepage) + b"\0" + n.encode("utf-16-le") + b"\0\0" for n in names) + b"\0\0"


def _rewrite_project_text(text: str, renames: dict[str, str], project: str) -> str:
    out = []
    for line in text.split("\r\n"):
        key, eq, value = line.partition("=")
        if eq and key == "Module" and value in renames:
            line = f"Module={renames[value]}"
        elif eq and key == "Name":
            line = f'Name="{project}"'
        elif eq and key in renames and "," in value:  # [Workspace] window positions
            line = f"{renames[key]}={value}"
        out.append(line)
    return "\r\n".join(out)


def rebuild(streams: dict[str, bytes], replace: dict[str, tuple[str, str]], project: str) -> bytes:
    """A new vbaProject.bin from the base project's streams.

    replace maps an existing module name to (new name, new source text). Modules not named keep their
    streams byte for byte."""
    records = parse_dir(decompress(streams["VBA/dir"]))
    cp_rec = next((r for r in records if r.id == PROJECTCODEPAGE), None)
    if cp_rec is None:
        raise VbaProjectError("xlwings 的加载项 VBA 工程缺少 PROJECTCODEPAGE 记录（MS-OVBA §2.3.4.2.1.4），请重新安装 xlwings")
    codepage = f"cp{struct.unpack('<H', cp_rec.data)[0]}"
    missing = set(replace) - set(_module_names(records, codepage))
    if missing:
        raise VbaProjectError(f"xlwings 的加载项 VBA 工程中没有模块 {sorted(missing)}：xlwings 版本不受支持")
    out = {k: v for k, v in streams.items() if k not in {f"VBA/{m}" for m in replace}}
    current = None
    for r in records:
        if r.id == PROJECTNAME:
            r.data = project.encode(codepage)
        elif r.id == MODULENAME:
            current = r.data.decode(codepage)
            if current in replace:
                r.data = replace[current][0].encode(codepage)
        elif current in replace:
            new_name, source = replace[current]
            if r.id in (MODULENAMEUNICODE, MODULESTREAMNAMEUNICODE):
                r.data = new_name.encode("utf-16-le")
            elif r.id == MODULESTREAMNAME:
                r.data = new_name.encode(codepage)
            elif r.id == MODULEOFFSET:
                r.data = struct.pack("<I", 0)
            elif r.id == MODULETERMINATOR:
                text = source.replace("\r\n", "\n").replace("\n", "\r\n")
                out[f"VBA/{new_name}"] = compress(text.encode(codepage))
                current = None
    out["VBA/dir"] = compress(dump_dir(records))
    renames = {old: new for old, (new, _) in replace.items()}
    out["PROJECT"] = _rewrite_project_text(streams["PROJECT"].decode(codepage), renames, project).encode(codepage)
    out["PROJECTwm"] = project_wm(_module_names(records, codepage), codepage)
    return write_cfb(out)


def read_streams(blob: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, by '/'-joined path."""
    import io

    import olefile

    with olefile.OleFileIO(io.BytesIO(blob)) as ole:
        return {"/".join(p): ole.openstream(p).read() for p in ole.listdir(streams=True, storages=False)}


def module_sources(blob: bytes) -> dict[str, str]:
    """The source text of each module of a vbaProject.bin, by module name (MS-OVBA §2.3.4.2.3: a module's
    stream holds compressed source from its MODULEOFFSET on)."""
    streams = read_streams(blob)
    records = parse_dir(decompress(streams["VBA/dir"]))
    cp_rec = next((r for r in records if r.id == PROJECTCODEPAGE), None)
    codepage = f"cp{struct.unpack('<H', cp_rec.data)[0]}" if cp_rec else "cp1252"
    out, name, stream = {}, None, None
    for r in records:
        if r.id == MODULENAME:
            name, stream = r.data.decode(codepage), None
        elif r.id == MODULESTREAMNAME:
            stream = r.data.decode(codepage)
        elif r.id == MODULEOFFSET and name is not None:
            data = streams.get(f"VBA/{stream or name}")
            if data is not None:
                out[name] = decompress(data[struct.unpack("<I", r.data)[0]:]).decode(codepage, "replace")
    return out
