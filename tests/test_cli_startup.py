"""``jamsos --help`` stays fast: building the parser imports none of the heavy libraries.

Run in a subprocess, because the test process has already imported them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "pandera", "numpy", "matplotlib", "duckdb")

SCRIPT = f"""
import json, sys
import jamsos_lib.cli as cli
cli.build_parser()
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
"""


def test_building_the_parser_imports_no_heavy_library():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not loaded, (
        f"building the jamsos parser imported {loaded}; import them inside the command's "
        "run(), and keep constants the parser needs in a light module"
    )
