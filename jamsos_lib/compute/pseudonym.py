"""Keyed pseudonyms for NIKs: HMAC-SHA256 with a secret key, never a plain hash.

The space of valid NIKs is small and structured (about 5 × 10¹² values, far fewer once the
district is known), so a plain or salted SHA-256 is reversed by enumeration in minutes
(``papermill-nbconvert-notes.md`` C3). Only a secret key defeats that. The key comes from
the environment variable ``JAMSOS_PSEUDONYM_KEY`` or from a key file given on the command
line (``--key-file``) that must live **outside** the repository. There is no default key:
without one, record-level outputs are refused (:func:`require_key`); aggregate tables
need no key.

The pseudonym is the first :data:`PSEUDONYM_HEX` hex characters of
``HMAC-SHA256(key, normalised NIK)`` (64 bits: collisions are negligible at Indonesia's
population). :func:`pseudonym_sql` computes the same value inside DuckDB, so millions of
rows never pass through a Python loop.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

import pandas as pd

from jamsos_lib import paths
from jamsos_lib.errors import JamsosError

log = logging.getLogger(__name__)

KEY_ENV = "JAMSOS_PSEUDONYM_KEY"
MIN_KEY_BYTES = 32
PSEUDONYM_HEX = 16
_BLOCK = 64  # SHA-256 block size in bytes


def _check_length(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise JamsosError(
            f"the pseudonymisation key from {where} is too short ({len(key)} bytes); use at least "
            f'{MIN_KEY_BYTES} random bytes, e.g. python -c "import secrets; print(secrets.token_hex(32))"'
        )
    return key


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def load_key(key_file: str | os.PathLike | None = None) -> bytes | None:
    """The secret key from ``key_file`` (preferred when given) or ``JAMSOS_PSEUDONYM_KEY``; None if neither.

    A key file inside the repository (where it could be committed) is refused; a key file
    readable by other users gets a warning. The key is never logged.
    """
    if key_file is not None:
        path = Path(key_file)
        if _inside(path, paths.ROOT):
            raise JamsosError(
                f"refusing the key file {path}: it is inside the repository ({paths.ROOT}) where it could be "
                "committed; keep pseudonymisation keys outside the project folder"
            )
        if not path.is_file():
            raise JamsosError(f"key file {path} does not exist")
        if os.name == "posix" and path.stat().st_mode & 0o077:
            log.warning("key file %s is readable by other users; chmod 600 it", path)
        return _check_length(path.read_bytes().strip(), f"key file {path.name}")
    env = os.environ.get(KEY_ENV)
    if env:
        return _check_length(env.strip().encode("utf-8"), f"${KEY_ENV}")
    return None


def require_key(key_file: str | os.PathLike | None = None) -> bytes:
    """Like :func:`load_key` but a missing key is an error (for record-level outputs)."""
    key = load_key(key_file)
    if key is None:
        raise JamsosError(
            f"refusing to write pseudonymised record-level output without a secret key: set {KEY_ENV} "
            "or pass --key-file (a file outside the repository); aggregate tables need no key"
        )
    return key


def pseudonymise(niks, key: bytes) -> pd.Series:
    """HMAC-SHA256 pseudonyms of already normalised NIKs (None stays None)."""
    if not key:
        raise JamsosError("no pseudonymisation key given")
    niks = niks if isinstance(niks, pd.Series) else pd.Series(list(niks), dtype=object)

    def one(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return None
        return hmac.digest(key, str(v).encode("ascii"), "sha256").hex()[:PSEUDONYM_HEX]

    return niks.map(one).astype(object)


def pseudonym_sql(column: str, key_param: str = "$key") -> str:
    """DuckDB SQL for the pseudonym of ``column`` (VARCHAR), equal to :func:`pseudonymise`.

    The key is passed as a prepared-statement parameter (``key_param``), never spliced into
    the SQL text; bind it with :func:`hmac_key_params`. HMAC is spelled out as
    ``H((K ^ opad) || H((K ^ ipad) || m))`` over BLOBs.
    """
    return (
        f"substr(sha256(from_hex({key_param}_opad) || from_hex(sha256(from_hex({key_param}_ipad) "
        f"|| encode({column})))), 1, {PSEUDONYM_HEX})"
    )


def hmac_key_params(key: bytes, name: str = "key") -> dict[str, str]:
    """Named parameters for :func:`pseudonym_sql`: the padded inner and outer keys, in hex."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    ipad = bytes(b ^ 0x36 for b in key)
    opad = bytes(b ^ 0x5C for b in key)
    return {f"{name}_ipad": ipad.hex(), f"{name}_opad": opad.hex()}
