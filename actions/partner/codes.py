"""Invite codes: short enough to type, long enough not to guess, never stored in the clear.

The alphabet leaves out look-alikes (0/O, 1/I/L), so a code read aloud or copied from a phone
survives; 10 of its 31 characters give about 8e14 codes, and only a hash is kept.
"""

import hashlib
import re
import secrets
from typing import Optional

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code() -> str:
    """A random code with at least one digit, so a code typed in lower case is still told from a word."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(ch.isdigit() for ch in code):
            return code


def code_hash(code: str) -> str:
    """What the database keeps of a code: its SHA-256, so a leaked table links no one."""
    return hashlib.sha256(normalise(code).encode("ascii", "ignore")).hexdigest()


def normalise(code: str) -> str:
    """Upper case, spaces and dashes dropped: "abcd-efgh 23" and "ABCDEFGH23" are the same code."""
    return re.sub(r"[\s-]+", "", code).upper()


def find_code(text: str) -> Optional[str]:
    """The code in a message such as "join my partner with code KX7P-M2QR9A", or None.

    Takes the last word-like run with at least one digit, or one typed in capitals, so ordinary
    words ("partner", "together") are not read as codes.
    """
    found = None
    for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*", text or ""):
        plain = normalise(word)
        if len(plain) < 8:
            continue
        if any(ch.isdigit() for ch in plain) or word.replace("-", "").isupper():
            found = plain
    return found
