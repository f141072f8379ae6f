"""A real Prefect server on a free loopback port, `newsdag serve`, and runs triggered the way the
UI triggers them (POST /deployments/{id}/create_flow_run). Every process started is stopped."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.conftest import REPO, SAMPLE

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, poll: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": api, "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_SERVER_UI_ENABLED": "false"}
    log = open(home / "server.log", "w")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def healthy():
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, 120, "the Prefect server")
        yield api, env
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def served(server, tmp_path_factory):
    api, env = server
    work = tmp_path_factory.mktemp("served")
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen([str(BIN / "newsdag"), "serve"], env=env, cwd=REPO, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)

    def deployments():
        r = httpx.post(f"{api}/deployments/filter", json={}, timeout=5)
        found = {d["name"]: d for d in r.json()} if r.status_code == 200 else {}
        return found if {"inbox", "backfill"} <= set(found) else None

    try:
        yield api, wait_until(deployments, 120, "newsdag serve to register its deployments"), work
    finally:
        stop(proc)
        log.close()


def run_deployment(api: str, deployment: dict, parameters: dict, timeout: float = 300) -> dict:
    r = httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run", json={"parameters": parameters}, timeout=10)
    r.raise_for_status()
    run_id = r.json()["id"]

    def finished():
        state = httpx.get(f"{api}/flow_runs/{run_id}", timeout=5).json()["state"]
        return state if state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    state = wait_until(finished, timeout, f"flow run {run_id}", poll=1)
    assert state["type"] == "COMPLETED", state
    return httpx.get(f"{api}/flow_runs/{run_id}", timeout=5).json()


def test_serve_refuses_without_a_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path)
    out = subprocess.run([str(BIN / "newsdag"), "serve"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "PREFECT_API_URL is not set" in out.stderr and "prefect server start" in out.stderr


def test_inbox_schedule_is_registered_and_an_empty_inbox_run_is_quick(served):
    api, deployments, work = served
    inbox = deployments["inbox"]
    schedules = httpx.get(f"{api}/deployments/{inbox['id']}/schedules", timeout=5).json()
    assert [s["schedule"]["cron"] for s in schedules] == ["*/15 * * * *"]
    empty = work / "inbox"
    empty.mkdir()
    started = time.monotonic()
    run_deployment(api, inbox, {"paths": [str(empty)], "db_path": str(work / "inbox.duckdb")})
    assert time.monotonic() - started < 120


def test_backfill_triggered_like_the_ui_loads_the_sample_and_publishes_a_summary(served):
    api, deployments, work = served
    db = work / "backfill.duckdb"
    run = run_deployment(api, deployments["backfill"], {"paths": [str(SAMPLE)], "db_path": str(db)})
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 5
    finally:
        con.close()
    arts = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}},
                      timeout=5).json()
    keys = {a["key"] for a in arts}
    assert "ingest-summary" in keys
    summary = next(a for a in arts if a["key"] == "ingest-summary")
    assert "documents new | 5" in summary["data"]
