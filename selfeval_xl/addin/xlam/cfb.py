"""A small compound-file (MS-CFB v3) writer for vbaProject.bin.

olefile reads compound files but cannot resize streams, and ms-cfb 0.0.6 corrupts streams of exactly 4,096
bytes, hence this writer. Version 3 (512-byte sectors); streams under 4,096 bytes go to the mini stream
(64-byte sectors), streams of 4,096 bytes and more to regular sectors (MS-CFB §2.6.3: the cutoff is
"less than"). Each storage's children form a red-black tree, built balanced by median split."""

from __future__ import annotations

import struct

from selfeval_xl.core.record import field, record
from selfeval_xl.errors import BuildError

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAX_FAT_SECTORS = 109  # header DIFAT only: files up to ~7 MB, far above any VBA project
RED, BLACK = 0, 1


class CfbError(BuildError):
    """The tree cannot be written (a name too long, a file too large)."""


@record
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list["_Entry"] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN


def _key(name: str) -> tuple[int, str]:
    """MS-CFB §2.6.4 order: shorter names first, then code points compared upper-cased."""
    return (len(name.encode("utf-16-le")) // 2, name.upper())


def _tree(children: list[_Entry]) -> int:
    """Link children into a balanced BST; colour the deepest, incomplete level red. Returns the root's sid."""
    ordered = sorted(children, key=lambda e: _key(e.name))
    depth_of: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        e = ordered[mid]
        depth_of[e.sid] = depth
        e.left, e.right = build(lo, mid, depth + 1), build(mid + 1, hi, depth + 1)
        return e.sid

    root = build(0, len(ordered), 0)
    if ordered:
        deepest = max(depth_of.values())
        perfect = len(ordered) == 2 ** (deepest + 1) - 1
        for e in ordered:
            e.color = RED if depth_of[e.sid] == deepest and deepest > 0 and not perfect else BLACK
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding streams, keyed by '/'-separated paths such as 'VBA/dir'."""
    root = _Entry("Root Entry", 5)
    storages = {"": root}
    for path in sorted(streams):
        parts = path.split("/")
        parent = root
        for i, part in enumerate(parts[:-1]):
            key = "/".join(parts[:i + 1])
            if key not in storages:
                storages[key] = _Entry(part, 1)
                parent.children.append(storages[key])
            parent = storages[key]
        parent.children.append(_Entry(parts[-1], 2, streams[path]))
    entries: list[_Entry] = []

    def number(e: _Entry) -> None:
        if len(e.name) > 31:
            raise CfbError(f"复合文件中的名称最长 31 个字符（MS-CFB）：{e.name!r}，加载项无法生成")
        e.sid = len(entries)
        entries.append(e)
        for c in e.children:
            number(c)

    number(root)
    for e in entries:
        if e.children:
            e.child = _tree(e.children)

    # Mini stream: small streams, 64-byte aligned, held in the root entry's regular-sector chain.
    mini = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for e in entries:
        if e.kind != 2:
            continue
        if len(e.data) >= CUTOFF:
            big.append(e)
        elif e.data:
            e.start = len(mini) // MINI
            n = -(-len(e.data) // MINI)
            minifat += [e.start + i + 1 if i < n - 1 else ENDOFCHAIN for i in range(n)]
            mini += e.data + b"\0" * (n * MINI - len(e.data))
    root.data = bytes(mini)

    sectors = lambda size: -(-size // SECTOR)  # noqa: E731
    layout = [(e, sectors(len(e.data))) for e in big]
    layout.append((root, sectors(len(mini))))
    n_minifat = sectors(len(minifat) * 4)
    n_dir = sectors(len(entries) * 128)
    body = sum(n for _, n in layout) + n_minifat + n_dir
    n_fat = 1
    while n_fat * (SECTOR // 4) < body + n_fat:
        n_fat += 1
    if n_fat > MAX_FAT_SECTORS:
        raise CfbError("VBA 工程超过约 7 MB，加载项无法生成")
    total = body + n_fat
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    out = bytearray()
    at = 0
    for e, n in layout:
        if n:
            e.start = at
            _chain(fat, at, n)
            out += e.data + b"\0" * (n * SECTOR - len(e.data))
            at += n
        else:
            e.start = ENDOFCHAIN
    minifat_start = at if n_minifat else ENDOFCHAIN
    if n_minifat:
        _chain(fat, at, n_minifat)
        raw = b"".join(struct.pack("<I", x) for x in minifat)
        out += raw + struct.pack("<I", FREESECT) * ((n_minifat * SECTOR - len(raw)) // 4)
        at += n_minifat
    dir_start = at
    _chain(fat, at, n_dir)
    dirs = b"".join(_dir_entry(e) for e in entries)
    empty = _dir_entry(None)
    out += dirs + empty * ((n_dir * SECTOR - len(dirs)) // 128)
    at += n_dir
    fat_start = at
    for i in range(n_fat):
        fat[fat_start + i] = FATSECT
    out += b"".join(struct.pack("<I", x) for x in fat)
    assert at + n_fat == total and len(out) == total * SECTOR
    return _header(n_fat, fat_start, dir_start, minifat_start, n_minifat) + bytes(out)


def _dir_entry(e: _Entry | None) -> bytes:
    if e is None:
        return b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 16 + \
            struct.pack("<IQQIQ", 0, 0, 0, 0, 0)
    name = e.name.encode("utf-16-le") + b"\0\0"
    size = len(e.data) if e.kind != 1 else 0
    start = e.start if (e.kind == 2 and e.data) or (e.kind == 5 and e.data) else (ENDOFCHAIN if e.kind != 1 else 0)
    return (name + b"\0" * (64 - len(name)) + struct.pack("<HBBIII", len(name), e.kind, e.color, e.left, e.right, e.child)
            + b"\0" * 16 + struct.pack("<IQQIQ", 0, 0, 0, start, size))


def _header(n_fat: int, fat_start: int, dir_start: int, minifat_start: int, n_minifat: int) -> bytes:
    h = bytearray()
    h += bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    h += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    h += struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF, minifat_start, n_minifat, ENDOFCHAIN, 0)
    difat = [fat_start + i for i in range(n_fat)] + [FREESECT] * (109 - n_fat)
    h += b"".join(struct.pack("<I", x) for x in difat)
    assert len(h) == SECTOR
    return bytes(h)
