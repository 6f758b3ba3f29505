"""Removing what a person cannot see but a page or an email would obey.

Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction marks
(U+200E, U+200F, U+061C) and every C0 and C1 control character are removed; multi-line text keeps
its newlines and tabs (a Windows line ending becomes a newline).
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_C0_C1 = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
_LINE = re.compile(f"[{re.escape(_BIDI + _C0_C1)}]")
_MULTILINE = re.compile(f"[{re.escape(_BIDI + _C0_C1.replace(chr(10), '').replace(chr(9), ''))}]")


def clean_line(value: str) -> str:
    """A name or title: no control or bidirectional characters, and no surrounding spaces."""
    if not isinstance(value, str):
        return value
    return _LINE.sub("", value).strip()


def clean_multiline(value: str) -> str:
    """Notes: as clean_line, but newlines and tabs stay."""
    if not isinstance(value, str):
        return value
    return _MULTILINE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
