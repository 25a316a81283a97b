"""``jamsos clean [--raw DIR] [--out DIR]``: validate the raw files and write the processed tables."""

from __future__ import annotations

from pathlib import Path

from jamsos_lib import paths
from jamsos_lib.commands import _common


def register(sub) -> None:
    p = sub.add_parser("clean", help="read and validate every raw file with a sidecar; write data/processed")
    p.add_argument("--raw", type=Path, default=None, help=f"raw data folder (default {paths.RAW})")
    p.add_argument(
        "--out", type=_common.folder_arg, default=None, help=f"processed data folder (default {paths.PROCESSED})"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from jamsos_lib.clean import clean, summary

    result = clean(args.raw or paths.RAW, args.out or paths.PROCESSED)
    print(summary(result))
    return 0
