"""The architecture you can see in the tree is the one the imports follow:
read → validate → compute → present → reports → commands. A layer may import the
cross-cutting modules (paths, errors, atomic, digests, regions, store, validate.schemas) and layers
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
    """The jamsos_lib subpackages/modules the file at ``path`` imports."""
    package = path.relative_to(PKG.parent).with_suffix("").parts[:-1]  # ("jamsos_lib", "compute")
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: tuple[str, ...]) -> set[str]:
    """The jamsos_lib subpackages/modules ``source`` (a module of ``package``) imports, in any
    form: ``import jamsos_lib.x``, ``from jamsos_lib.x import y``, ``from jamsos_lib import x``
    and relative imports (``from ..x import y``, ``from .. import x``)."""
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ((node.module,) if node.module else ()))
            else:
                module = node.module or ""
            if module == "jamsos_lib":
                found.update(alias.name for alias in node.names)
            elif module.startswith("jamsos_lib."):
                found.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jamsos_lib."):
                    found.add(alias.name.split(".")[1])
    return found


def test_imports_are_found_in_every_form():
    code = (
        "import jamsos_lib.read\nfrom jamsos_lib.present import fmt\nfrom jamsos_lib import reports\n"
        "from ..validate import schemas\nfrom .. import store\nfrom . import coverage\nimport pandas\n"
    )
    assert _imports_in(code, ("jamsos_lib", "compute")) == {
        "read",
        "present",
        "reports",
        "validate",
        "store",
        "compute",
    }


@pytest.mark.parametrize("layer", ORDER)
def test_layers_only_import_earlier_layers(layer):
    later = set(ORDER[ORDER.index(layer) + 1 :])
    bad = []
    for path in sorted((PKG / layer).rglob("*.py")):
        for target in _imports(path) & later:
            if (layer, target) not in ALLOWED:
                bad.append(f"{path.relative_to(PKG)} imports jamsos_lib.{target}")
    assert not bad, "\n".join(bad)


def test_cross_cutting_modules_do_not_import_the_layers():
    for name in ("paths", "errors", "atomic", "digests", "regions"):
        assert not (_imports(PKG / f"{name}.py") & set(ORDER)), name


def test_notebooks_hold_no_function_or_class_definitions():
    import nbformat

    for nb_path in sorted((PKG.parent / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            tree = ast.parse(
                "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            )
            defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
            assert not defs, f"{nb_path.name}: business logic belongs in jamsos_lib"


# -- no import cycles, lazy (function-level) imports included ------------------------------


def _module_of(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(name: str, modules: set[str]) -> str | None:
    """The module file ``name`` stands for (a module, else its package), if in jamsos_lib."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _module_imports(source: str, module: str, is_package: bool, modules: set[str]) -> set[str]:
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            # ``from pkg import mod`` imports the module; ``from mod import name`` the module
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        for name in targets:
            target = _resolve(name, modules) if name.startswith("jamsos_lib") else None
            if target and target not in (module, "jamsos_lib"):
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {(_module_of(p), p) for p in PKG.rglob("*.py")}
    modules = {m for m, _ in files}
    return {m: _module_imports(p.read_text(encoding="utf-8"), m, p.name == "__init__.py", modules) for m, p in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (each as the modules along it)."""
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_a_cycle_is_seen_even_through_a_lazy_import():
    a = "from jamsos_lib import b\n"
    b = "def f():\n    from jamsos_lib.a import x\n"
    modules = {"jamsos_lib", "jamsos_lib.a", "jamsos_lib.b"}
    graph = {
        "jamsos_lib.a": _module_imports(a, "jamsos_lib.a", False, modules),
        "jamsos_lib.b": _module_imports(b, "jamsos_lib.b", False, modules),
    }
    assert cycles(graph) == [["jamsos_lib.a", "jamsos_lib.b", "jamsos_lib.a"]]
    assert cycles({"jamsos_lib.a": {"jamsos_lib.b"}, "jamsos_lib.b": set()}) == []


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert graph["jamsos_lib.reports.batch"]  # the graph is really read
    found = cycles(graph)
    assert not found, "\n".join(" -> ".join(c) for c in found)
