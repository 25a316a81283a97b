"""Where things live. Every other path in the package is derived from these.

``JAMSOS_ROOT`` overrides the project root (default: the checkout that holds this
package), so an installed copy can point at a data folder elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("JAMSOS_ROOT", PACKAGE_DIR.parent)).resolve()
DATA = ROOT / "data"
RAW = DATA / "raw"
#: The default processed folder. Another one reaches code only as an argument (``--data DIR``,
#: a notebook's ``data_dir`` parameter, a month's ``tables_dir``), never through the environment.
PROCESSED = (DATA / "processed").resolve()
REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"
REFERENCE = PACKAGE_DIR / "reference"
TEMPLATES = PACKAGE_DIR / "templates"
REGISTRY_CSV = REFERENCE / "regions.csv"

#: Name of the Jupyter kernel that ``make report`` registers inside the venv and
#: that the report runner always passes explicitly (never taken from notebook metadata).
KERNEL_NAME = "jamsos"

#: the files of a month's output folder (``reports/<YYYY-MM>/``), named once for the batch, the
#: month tables, the page fingerprints and the run key (which must not import pandas)
MONTH_MANIFEST = "manifest.json"
MONTH_INDEX = "index.html"
MONTH_LOCK = ".lock"
TABLES_DIR = "_tables"
PROVENANCE = "provenance.json"
#: the provenance's record of each month table file's sha256 as written (after its schema check)
TABLE_SHA256 = "table_sha256"


def registry_files(*extra: str | os.PathLike) -> list[str]:
    """The region registry CSVs :func:`jamsos_lib.regions.load_registry` reads: the default,
    those named in ``JAMSOS_REGISTRY`` (``os.pathsep``-separated), then ``extra``."""
    files = [str(REGISTRY_CSV)]
    env = os.environ.get("JAMSOS_REGISTRY")
    if env:
        files += [p for p in env.split(os.pathsep) if p]
    return files + [str(Path(p)) for p in extra]
