"""The ``jamsos`` command.

Each sub-command lives in its own module under ``jamsos_lib/commands/`` and exposes
``register(subparsers)``; the modules are discovered here, so adding a command never
touches this file. Building the parser imports every command module, so their module
level holds only argparse registration and light constants (``jamsos_lib.compute.constants``);
pandas, pandera, DuckDB and the analytics modules are imported inside ``run`` (checked by
``tests/test_cli_startup.py``). Bad input exits with status 2 and one clear line per problem, an
internal error exits with status 1 and a one-line message (``JAMSOS_DEBUG=1`` shows the
traceback, scrubbed); never a traceback for bad input. A closed pipe (``jamsos validate FILE | head -1``)
ends the command quietly, with status 2. Every log line and every message
printed here passes :func:`jamsos_lib.errors.scrub`, so no NIK-like digit run reaches a
terminal or a log file, whatever a file, sheet or cell held.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys

from jamsos_lib import __version__
from jamsos_lib.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    InputError,
    JamsosError,
    install_log_scrubber,
    safe_value,
    scrub,
)

log = logging.getLogger("jamsos")


class _Parser(argparse.ArgumentParser):
    """argparse's parser whose usage errors pass :func:`jamsos_lib.errors.scrub` like every other
    message (an option's value is echoed in the error: it could be a NIK typed by mistake)."""

    def error(self, message: str):
        super().error(scrub(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jamsos",
        description="BPJS Ketenagakerjaan coverage analytics: clean data, tables, reports.",
        epilog="Exit status: 0 ok, 1 internal error, 2 bad input or usage, 3 some reports failed.",
    )
    parser.add_argument("--version", action="version", version=f"jamsos {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import jamsos_lib.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"jamsos_lib.commands.{info.name}")
        module.register(sub)
    return parser


def _setup_logging(verbose: bool, quiet: bool) -> None:
    """Plain messages on a terminal; under cron (no terminal) each line starts with an ISO
    time in WIB (:mod:`jamsos_lib.clock`) and the level."""
    from jamsos_lib.clock import WIBFormatter

    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        WIBFormatter("%(message)s" if sys.stderr.isatty() else "%(asctime)s %(levelname)s %(message)s")
    )
    logging.basicConfig(level=level, handlers=[handler])
    install_log_scrubber()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout already closed or not a real file
        pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    _setup_logging(args.verbose, args.quiet)
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the interpreter's exit
        return status
    except BrokenPipeError:
        # the reader went away (``jamsos validate FILE | head -1``): stop quietly, and keep
        # Python from complaining when it flushes standard output at exit
        _silence_stdout()
        return EXIT_BAD_INPUT
    except InputError as exc:
        for problem in exc.problems:
            print(scrub(str(problem)), file=sys.stderr)
        n = len(exc.errors)
        print(f"jamsos: {n} error{'s' if n != 1 else ''} in the input; nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except JamsosError as exc:
        print(f"jamsos: {scrub(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("jamsos: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence for analysts
        if os.environ.get("JAMSOS_DEBUG"):
            import traceback

            print(scrub(traceback.format_exc()), file=sys.stderr, end="")
            return EXIT_INTERNAL
        print(
            f"jamsos: internal error: {type(exc).__name__}: {safe_value(exc, limit=300)} "
            "(set JAMSOS_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
