"""The architecture you can see in the tree is the one the imports follow:
read → validate → compute → present → reports → commands. A layer may import the
cross-cutting modules (paths, errors, atomic, regions, store, validate.schemas) and layers
before it, never a layer after it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "jamsos_lib"
ORDER = ["read", "validate", "compute", "present", "reports", "commands"]
#: pairs that are allowed although they point "backwards": the person-list reader uses the
#: NIK rules to validate while it reads (one DuckDB pass), and readers check schemas.
ALLOWED = {("read", "validate")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jamsos_lib."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jamsos_lib."):
                    found.add(alias.name.split(".")[1])
    return found


@pytest.mark.parametrize("layer", ORDER)
def test_layers_only_import_earlier_layers(layer):
    later = set(ORDER[ORDER.index(layer) + 1:])
    bad = []
    for path in sorted((PKG / layer).rglob("*.py")):
        for target in _imports(path) & later:
            if (layer, target) not in ALLOWED:
                bad.append(f"{path.relative_to(PKG)} imports jamsos_lib.{target}")
    assert not bad, "\n".join(bad)


def test_cross_cutting_modules_do_not_import_the_layers():
    for name in ("paths", "errors", "atomic", "regions"):
        assert not (_imports(PKG / f"{name}.py") & set(ORDER)), name


def test_notebooks_hold_no_function_or_class_definitions():
    import nbformat

    for nb_path in sorted((PKG.parent / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            tree = ast.parse("\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))))
            defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
            assert not defs, f"{nb_path.name}: business logic belongs in jamsos_lib"
