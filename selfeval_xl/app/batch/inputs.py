"""The inputs as they arrive: folders (recursive), workbooks, .zip archives and .eml mails, listed as jobs.

Zip archives are listed here (their central directory only), one job per workbook inside, so that a zip of 5,000
workbooks spreads over every worker; a mail is one job (its attachments are decoded where it is read). Every
size is checked before anything is read: a member larger than a workbook may be is refused, not loaded."""

from __future__ import annotations

import email
import os
import time
import zipfile
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath

from selfeval_xl.app.batch.records import Source, Unreadable
from selfeval_xl.core.record import record
from selfeval_xl.sources.sniff import MAX_BYTES

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")  # .xls / .et: the reader says how to convert them
ZIP, MAIL = ".zip", ".eml"
OTHER_ARCHIVES = (".rar", ".7z")
LISTED = (*WORKBOOK_SUFFIXES, ZIP, MAIL, *OTHER_ARCHIVES)
MAX_MAIL_BYTES = 2 * MAX_BYTES + MAX_BYTES // 2  # a mail carrying one workbook of the largest size, in base64;
# also the bound of an archive inside an archive or a mail, which is read into memory
MAX_MEMBERS = 100_000  # entries in one archive
MAX_DEPTH = 3  # a zip in a mail in a zip
ARROW = " → "  # between a container and what it holds, as listed


@record(frozen=True)
class Job:
    """One unit of work: a file on disk, or one member (zipfile's name for it) of the zip at path."""

    path: str
    display: str
    received: float
    member: str = ""

    @property
    def source(self) -> Source:
        return Source(self.display, self.path, self.received)


def suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def basename(name: str) -> str:
    """The last part of a name that may carry a Windows or zip path."""
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def collect(paths, exclude=()) -> tuple[list[Job], list[Unreadable], int]:
    """(jobs, files refused while listing, files skipped in folders as not ours) for the paths given.

    In folders, only workbooks, archives and mails are taken; Office lock files (~$…), our own temporary files
    and hidden entries are passed over, as are the outputs named in exclude."""
    excluded = {os.path.realpath(p) for p in exclude}  # grows with every file taken: a file given twice is read once
    jobs: list[Job] = []
    refused: list[Unreadable] = []
    skipped = 0
    folders = [Path(a).resolve().name for a in paths if Path(a).is_dir()]
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            top = p.resolve().name
            for f, shown in _walk(p, top if folders.count(top) == 1 else str(p)):
                if suffix(f) not in LISTED:
                    skipped += 1
                elif _first_time(f, excluded):
                    _add(f, shown, jobs, refused)
        elif not p.exists():
            refused.append(Unreadable(Source(str(arg), str(arg), 0.0), f"找不到文件 {arg}，请检查路径"))
        elif _first_time(p, excluded):
            _add(str(p), str(arg), jobs, refused)
    return jobs, refused, skipped


def _first_time(path, seen: set[str]) -> bool:
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _walk(folder: Path, top: str):
    """(path, as listed) of the files under folder, listed from top: the folder's own name (收件箱/单位A/表.xlsx),
    so that the 汇总 shows short names whatever the path given (the path given when two folders share a name)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(root, folder)
        for name in sorted(files):
            if name.startswith((".", "~$")):
                continue
            yield os.path.join(root, name), os.path.normpath(os.path.join(top, rel, name))


def _add(path: str, shown: str, jobs: list[Job], refused: list[Unreadable]) -> None:
    try:
        received = os.stat(path).st_mtime
    except OSError as e:
        refused.append(Unreadable(Source(shown, path, 0.0), f"{basename(shown)} 无法打开（{e.strerror}）"))
        return
    if suffix(path) != ZIP:
        jobs.append(Job(path, shown, received))
        return
    source = Source(shown, path, received)
    try:
        with zipfile.ZipFile(path) as z:
            for info, _name, where in members(z, source, refused):
                jobs.append(Job(path, where.display, where.received, info.filename))
    except (zipfile.BadZipFile, OSError):
        refused.append(Unreadable(source, f"{basename(shown)} 不是有效的 zip 压缩包（可能已损坏或未下载完整），请重新打包"))


def members(z: zipfile.ZipFile, source: Source, refused: list[Unreadable]):
    """(ZipInfo, the name as the sender wrote it, its Source as listed) of each entry we read; what cannot be read
    goes to refused."""
    infos = [i for i in z.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        refused.append(Unreadable(source, f"{basename(source.display)} 含 {len(infos)} 个文件，超过 {MAX_MEMBERS} 个上限，请分批打包"))
        return
    found = 0
    for info in infos:
        name = member_name(info)
        if suffix(name) not in LISTED or basename(name).startswith((".", "~$")) or name.startswith("__MACOSX/"):
            continue
        found += 1
        where = source._replace(display=source.display + ARROW + name, received=zip_time(info))
        if info.flag_bits & 0x1:
            refused.append(Unreadable(where, f"{basename(name)} 在压缩包中已加密（设了密码），请去掉密码后重新打包"))
        elif info.file_size > (MAX_BYTES if suffix(name) in WORKBOOK_SUFFIXES else MAX_MAIL_BYTES):  # held in memory
            refused.append(Unreadable(where, f"{basename(name)} 解压后有 {info.file_size / 1048576:.0f} MB，超过上限，已拒绝读取"))
        else:
            yield info, name, where
    if not found:
        refused.append(Unreadable(source, f"{basename(source.display)} 中没有 Excel 工作簿（.xlsx），请确认压缩包内容"))


def member_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as written: zips made on Chinese Windows store names in GBK without the UTF-8 flag,
    which zipfile decodes as cp437; such names are decoded again."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def zip_time(info: zipfile.ZipInfo) -> float:
    try:
        return time.mktime((*info.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return 0.0


def mail_attachments(data: bytes, received: float):
    """(the mail's Date as a timestamp, [(attachment name, bytes)], [names of other attachments]) of one .eml.
    Names are decoded from RFC 2231 (filename*=) or RFC 2047 (=?utf-8?b?…?=) by the standard library."""
    msg = email.message_from_bytes(data, policy=policy.default)
    try:
        received = parsedate_to_datetime(str(msg["Date"])).timestamp() if msg["Date"] else received
    except (TypeError, ValueError, IndexError):
        pass
    ours, others = [], []
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name and part.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
            name = f"附件{i}.xlsx"
        if not name:
            continue
        name = basename(name)
        if suffix(name) in LISTED:
            ours.append((name, part.get_payload(decode=True) or b""))
        else:
            others.append(name)
    return received, ours, others
