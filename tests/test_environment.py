"""environment.yml (conda) lists the same dependencies and lower bounds as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
#: conda-forge names that differ from the PyPI names
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lower_bound(spec) -> str | None:
    bounds = [s.version for s in spec if s.operator == ">="]
    return bounds[0] if bounds else None


def _pyproject() -> dict[str, str | None]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta.get("optional-dependencies", {}).values():
        reqs += extra
    return {_norm(Requirement(r).name): _lower_bound(Requirement(r).specifier) for r in reqs}


def _conda() -> dict[str, str | None]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if not isinstance(dep, str) or dep.split(">=")[0] in {"python", "pip"}:
            continue
        req = Requirement(dep)
        out[_norm(CONDA_TO_PYPI.get(req.name, req.name))] = _lower_bound(req.specifier)
    return out


def test_same_packages_and_lower_bounds():
    assert _conda() == _pyproject()


def test_every_dependency_has_a_lower_bound_and_nbconvert_is_patched():
    deps = _pyproject()
    assert all(v is not None for v in deps.values()), deps
    assert tuple(int(x) for x in deps["nbconvert"].split(".")) >= (7, 17, 1)  # CVE-2026-39378/39377


def test_environment_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
    assert any(str(d).startswith("python>=3.11") for d in env["dependencies"])
