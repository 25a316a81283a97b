"""Atomic writes: write to a temporary file in the same folder, then ``os.replace``.

A crash or kill never leaves a half-written file under the final name; the previous
version stays in place until the new one is complete. ``atomic_dir`` does the same for a
whole folder of outputs (build in a sibling temp folder, then swap).

A process killed while it builds a folder (``kill -9``, out of memory) leaves its temp
sibling ``.<name>.<pid>-XXXX.tmp`` behind; the next :func:`atomic_dir` for the same folder
removes every such sibling whose process is gone (:func:`remove_stale_siblings`), and
leaves alone those of a run still going. (A process id can be reused: a leftover whose id
now belongs to another live process waits for a later run.)
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _public(path: Path, mode: int) -> None:
    """mkstemp/mkdtemp create private (0600/0700) entries; give the final file the normal
    permissions a plain ``open()``/``mkdir()`` would have."""
    os.chmod(path, mode & ~_umask())


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it over ``final`` on success."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    _public(tmp_path, 0o666)
    try:
        yield tmp_path
        os.replace(tmp_path, final)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(final: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(final) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(final)


def write_text(final: str | os.PathLike, text: str) -> Path:
    return write_bytes(final, text.encode("utf-8"))


def write_json(final: str | os.PathLike, obj) -> Path:
    return write_text(final, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n")


def write_parquet(final: str | os.PathLike, frame) -> Path:
    with atomic_path(final) as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(final)


@contextlib.contextmanager
def atomic_dir(final: str | os.PathLike) -> Iterator[Path]:
    """Build a folder's new contents in a temp sibling; swap it in only on success.

    The old folder is moved aside and removed after the swap, so readers see either the
    complete old folder or the complete new one.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    _restore_interrupted_swap(final)
    remove_stale_siblings(final)
    tmp = owned_temp_dir(final)
    _public(tmp, 0o777)
    try:
        yield tmp
        old = None
        if final.exists():
            old = final.parent / f".{final.name}.old-{os.getpid()}"
            os.replace(final, old)
        try:
            os.replace(tmp, final)
        except BaseException:
            if old is not None:
                os.replace(old, final)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _restore_interrupted_swap(final: Path) -> None:
    """A process killed between the two renames of :func:`atomic_dir` leaves the previous
    folder as ``.<name>.old-<pid>`` and nothing under ``final``: put it back."""
    if final.exists():
        return
    left = sorted(final.parent.glob(f".{final.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if left:
        os.replace(left[-1], final)


#: a temp sibling without a process id (made before ids were recorded) is stale after this long
LEGACY_STALE_S = 3600


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def _owner(rest: str) -> int | None:
    """The process id in the middle of a sibling's name (``<pid>-XXXX`` or ``old-<pid>``)."""
    head = rest[4:] if rest.startswith("old-") else rest.split("-", 1)[0] if "-" in rest else ""
    return int(head) if head.isdigit() else None


def owned_temp_dir(final: str | os.PathLike) -> Path:
    """A new private folder ``.<name>.<pid>-XXXX.tmp`` beside ``final`` (which need not exist),
    named with this process's id so that :func:`remove_stale_siblings` removes it once this
    process is gone."""
    final = Path(final)
    return Path(tempfile.mkdtemp(prefix=f".{final.name}.{os.getpid()}-", suffix=".tmp", dir=final.parent))


def remove_stale_siblings(final: str | os.PathLike) -> list[Path]:
    """Remove the temp folders (``.<name>.<pid>-XXXX.tmp``) and set-aside old folders
    (``.<name>.old-<pid>``, once ``final`` exists again) that processes no longer running left
    beside ``final``; a sibling without a process id is removed when older than an hour."""
    final = Path(final)
    removed = []
    prefix = f".{final.name}."
    for p in final.parent.glob(f"{glob.escape(prefix)}*"):
        rest = p.name[len(prefix) :]
        if not p.is_dir() or not (rest.endswith(".tmp") or (rest.startswith("old-") and final.exists())):
            continue
        pid = _owner(rest.removesuffix(".tmp"))
        if pid == os.getpid():
            continue
        if pid is not None:
            stale = not pid_alive(pid)
        else:
            try:
                stale = time.time() - p.stat().st_mtime > LEGACY_STALE_S
            except FileNotFoundError:
                continue
        if stale:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()
