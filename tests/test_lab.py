"""``make lab``: JupyterLab comes with the default set-up and serves ``notebooks/`` with the
jamsos kernel. Starts the real server (no browser) on a free port and asks its REST API."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_is_a_default_dependency():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("jupyterlab") for d in deps)


def test_jupyterlab_serves_the_notebooks_with_the_jamsos_kernel(tmp_path):
    lab = Path(sys.executable).with_name("jupyter-lab")
    if not lab.exists():
        pytest.fail(f"{lab} missing: the default set-up must install JupyterLab")
    from jupyter_client.kernelspec import KernelSpecManager

    if "jamsos" not in KernelSpecManager().find_kernel_specs():
        pytest.skip("the jamsos kernel is installed by the Makefile's set-up (make .venv/.installed)")
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    args = [
        str(lab),
        "--no-browser",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        "--notebook-dir=notebooks",
        "--ServerApp.open_browser=False",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline, body = time.monotonic() + 90, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs", timeout=5) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None, proc.stderr.read().decode() if proc.poll() is not None else "no answer in 90 s"
        assert "jamsos" in body["kernelspecs"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/explore", timeout=10) as r:
            names = {item["name"] for item in json.loads(r.read())["content"]}
        assert {"01_cakupan.ipynb", "02_target_dan_subsidi.ipynb", "03_rekonsiliasi.ipynb"} <= names
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=10) as r:
            assert r.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(tmp_path / "runtime", ignore_errors=True)
