"""Validate a table once, where it leaves the code that builds it.

A function that returns a table checks it against its schema (:func:`check`), so a caller
never gets an unchecked frame. A caller that builds one big table out of many such frames
(the month tables: one scenario frame per region, 514 regions for the whole country) checks
the big table itself and runs the builders inside :func:`deferred`; there :func:`check`
returns each part as it is, and the caller's single check covers every row. Checking the
same rows twice cost about half of computing the month.
"""

from __future__ import annotations

import contextlib
import contextvars

import pandas as pd

_DEFERRED = contextvars.ContextVar("jamsos_validation_deferred", default=False)


def check(schema, frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """``schema.validate(frame, **kwargs)``, unless a caller validates the table this frame
    becomes part of (inside :func:`deferred`)."""
    if _DEFERRED.get():
        return frame
    return schema.validate(frame, **kwargs)


@contextlib.contextmanager
def deferred():
    """Within this block, :func:`check` leaves frames to the caller, who must validate what
    it builds from them against the same schemas (:func:`jamsos_lib.compute.month.compute`)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
