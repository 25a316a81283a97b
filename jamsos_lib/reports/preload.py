"""Imported once by the batch's fork server (``set_forkserver_preload``): the workers it forks
start with :data:`jamsos_lib.reports.startup.PRELOAD` imported and frozen."""

from jamsos_lib.reports.startup import NOT_NEEDED_BY_WORKERS, leave_out_not_needed, preload

leave_out_not_needed(NOT_NEEDED_BY_WORKERS)
preload()
