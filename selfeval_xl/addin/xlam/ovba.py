"""MS-OVBA §2.4.1 compression and decompression (the run-length/LZ77 codec of VBA's dir and module streams).

Written here rather than taken from PyPI: ms-ovba-compression 1.0.1 computes the maximum copy length as
`0xFFFF << bit_count + 3` instead of `(0xFFFF >> bit_count) + 3`. Every chunk is written compressed
(flag 1): Excel drops modules whose chunks are stored raw."""

from __future__ import annotations

import struct

from selfeval_xl.errors import BuildError

CHUNK = 4096


class OvbaError(BuildError):
    """A compressed container that does not follow MS-OVBA §2.4.1."""


def _copy_token_help(pos_in_chunk: int) -> tuple[int, int, int]:
    """(length mask, offset shift, maximum length) for a copy token at this decompressed position (§2.4.1.3.19.1)."""
    bit_count = max((pos_in_chunk - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    return length_mask, 16 - bit_count, length_mask + 3


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (signature byte 0x01, then chunks)."""
    if not data or data[0] != 1:
        raise OvbaError("VBA 压缩数据格式不符（MS-OVBA §2.4.1：应以 0x01 开头），加载项无法生成")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise OvbaError("VBA 压缩数据块头不完整（MS-OVBA §2.4.1），加载项无法生成")
        (header,) = struct.unpack_from("<H", data, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise OvbaError(f"VBA 压缩数据块签名错误（位置 {pos}，MS-OVBA §2.4.1），加载项无法生成")
        end = min(pos + size, len(data))
        start_out = len(out)
        pos += 2
        if not header & 0x8000:
            out += data[pos:pos + CHUNK]
            pos += CHUNK
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > end:
                    raise OvbaError("VBA 压缩数据的复制标记不完整（MS-OVBA §2.4.1），加载项无法生成")
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                mask, shift, _ = _copy_token_help(len(out) - start_out)
                length = (token & mask) + 3
                offset = (token >> shift) + 1
                src = len(out) - offset
                if src < start_out:
                    raise OvbaError("VBA 压缩数据的复制标记越界（MS-OVBA §2.4.1），加载项无法生成")
                for k in range(length):  # may overlap its own output
                    out.append(out[src + k])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    """One chunk's token sequences; matches found through a 3-byte index, nearest-longest as in §2.4.1.3.9."""
    out = bytearray()
    index: dict[bytes, list[int]] = {}
    pos, n = 0, len(chunk)

    def remember(p: int) -> None:
        if p + 3 <= n:
            index.setdefault(chunk[p:p + 3], []).append(p)

    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            _, shift, max_len = _copy_token_help(pos)
            best_len, best_at = 0, 0
            # As the spec: the longest match to the chunk's end wins, nearest first on ties; only then
            # is the length cut to what the token can hold.
            for cand in reversed(index.get(chunk[pos:pos + 3], ())):
                length = 3
                while pos + length < n and chunk[cand + length] == chunk[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_at = length, cand
                    if pos + length == n:
                        break
            best_len = min(best_len, max_len)
            if best_len >= 3:
                token = ((pos - best_at - 1) << shift) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                for p in range(pos, pos + best_len):
                    remember(p)
                pos += best_len
            else:
                out.append(chunk[pos])
                remember(pos)
                pos += 1
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress to a CompressedContainer; every chunk compressed (flag 1)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        body = _compress_chunk(data[start:start + CHUNK])
        if len(body) > CHUNK:
            raise OvbaError("有一段 4096 字节的宏源码无法压缩，加载项无法生成：请检查 macros/*.bas 是否为正常的 VBA 文本")
        out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return bytes(out)
