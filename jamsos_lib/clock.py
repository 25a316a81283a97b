"""Times in log lines: ISO 8601 with the offset of Western Indonesia Time (WIB, UTC+07:00).

Under cron there is no terminal; every log line (``logging`` and the batch's per-page
progress lines) then starts with such a time, e.g. ``2025-07-05T06:00:12+07:00``. WIB has no
daylight saving time, so a fixed offset is exact (and needs no time zone database).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def stamp(when: datetime | None = None) -> str:
    """``2025-07-05T06:00:12+07:00``: ``when`` (default now) in WIB, to the second."""
    return (when or datetime.now(WIB)).astimezone(WIB).isoformat(timespec="seconds")


class WIBFormatter(logging.Formatter):
    """A ``logging`` formatter whose ``%(asctime)s`` is :func:`stamp` of the record's time."""

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return stamp(datetime.fromtimestamp(record.created, WIB))
