"""The README's cron line, as pasted, run with ``sh -c`` (no terminal) from the root of a fresh
tree: no ``logs/`` folder, raw files only, the package's venv and notebooks. It must exit 0
and write its log, whose lines carry their time and agree with each other."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from layouts import make_raw

REPO = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent
ISO_WIB = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00"

pytestmark = pytest.mark.slow


def readme_cron_command() -> str:
    """The command of the cron line in README.md (the line without its five time fields)."""
    blocks = re.findall(r"```cron\n(.*?)\n```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1 and len(blocks[0].splitlines()) == 1, blocks
    fields = blocks[0].split(None, 5)
    assert fields[:5] == ["0", "6", "5", "*", "*"]
    return fields[5]


def test_readme_cron_line_works_as_pasted_in_a_fresh_tree(tmp_path):
    command = readme_cron_command()
    assert command.startswith("cd /path/to/jamsos && ")
    root = tmp_path / "jamsos"
    make_raw(root / "data")  # data/raw: a small raw data set in the real layouts (3 months to 2024-12)
    (root / ".venv").symlink_to(VENV)
    (root / "notebooks").symlink_to(REPO / "notebooks")
    assert not (root / "logs").exists() and not (root / "data" / "processed").exists()
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_RUNTIME_DIR"}
    env["JAMSOS_ROOT"] = str(root)  # what the package's own checkout is in a real clone
    proc = subprocess.run(
        ["sh", "-c", command.replace("/path/to/jamsos", str(root))],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    log = root / "logs" / "monthly.log"
    assert proc.returncode == 0, proc.stdout + proc.stderr + (log.read_text() if log.exists() else "")
    assert proc.stdout == "" and proc.stderr == ""  # everything went to the log
    lines = log.read_text(encoding="utf-8").splitlines()

    folder = root / "reports" / "2024-12"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    n = len(manifest["pages"])
    assert n == 38 + 1 + 1  # the 38 kab/kota of Jawa Timur, the province overview, the index
    progress = [line for line in lines if re.search(r" \[\d+/\d+\] ", line)]
    assert len(progress) == n
    for i, line in enumerate(progress, 1):  # each with its time, counted as the summary counts
        assert re.match(rf"{ISO_WIB} \[{i}/{n}\] ok \S+\.html \d+\.\ds$", line), line
    assert progress[-1].split()[3] == "index.html"
    logged = [line for line in lines if re.match(ISO_WIB + " (INFO|WARNING|ERROR) ", line)]
    assert all(" ERROR " not in line for line in logged)
    summary = next(line for line in lines if line.startswith("jamsos monthly 2024-12: "))
    assert f": {n} of {n} pages ok, 0 failed, " in summary
    assert summary.endswith(f"({manifest['workers']} worker{'s' if manifest['workers'] != 1 else ''})")
    assert lines[-2] == f"manifest: {folder / 'manifest.json'}"
    assert lines[-1] == f"index: {folder / 'index.html'}"  # the last line, as README says
    assert (folder / "index.html").exists() and len(list(folder.glob("*.html"))) == n
    assert (root / "data" / "processed" / "manifest.json").exists()  # `jamsos clean` ran first
