"""Signals and leftovers: kill -9, SIGTERM and Ctrl-C during the parse end the run within seconds,
leave no process of it behind (NLP workers, Prefect's temporary server), and the rerun completes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.stopping import descendants
from tests.conftest import SAMPLE, rows

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")]
NEWSDAG = str(Path(sys.executable).parent / "newsdag")


def env(with_server: bool) -> dict:
    out = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}
    out.pop("PREFECT_API_URL", None)
    if with_server:
        from prefect.settings import PREFECT_API_URL

        out["PREFECT_API_URL"] = PREFECT_API_URL.value()
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def start_and_wait_for_workers(tmp_path: Path, with_server: bool) -> tuple[subprocess.Popen, dict[int, int]]:
    """A run of the samples parsed by two worker processes, caught while they parse."""
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"nlp": {"n_process": 2, "min_docs_per_process": 1}}))
    proc = subprocess.Popen([NEWSDAG, "ingest", str(SAMPLE), "--db", str(tmp_path / "news.duckdb"), "--settings",
                             str(settings)], env=env(with_server), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        procs = descendants(proc.pid)
        if sum("spawn_main" in cmdline(p) for p in procs) >= 2:
            return proc, procs
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"the workers never started (exit {proc.poll()}): {proc.communicate()[1][-2000:]}")


def assert_all_gone(procs: dict[int, int], within_s: float = 15) -> None:
    deadline = time.monotonic() + within_s
    left = dict(procs)
    while left and time.monotonic() < deadline:
        left = {p: cmdline(p) for p in left if cmdline(p)}
        time.sleep(0.2)
    assert not left, f"still running: {left}"


def rerun_completes(tmp_path: Path) -> None:
    out = subprocess.run([NEWSDAG, "ingest", str(SAMPLE), "--db", str(tmp_path / "news.duckdb")], env=env(True),
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert rows(tmp_path / "news.duckdb", "SELECT count(*) FROM documents WHERE status = 'ok'") == [(5,)]


def test_kill_9_during_the_parse_leaves_no_worker(prefect_harness, tmp_path):
    proc, procs = start_and_wait_for_workers(tmp_path, with_server=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert_all_gone(procs)
    rerun_completes(tmp_path)


@pytest.mark.parametrize("sig, code, with_server", [(signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)])
def test_sigterm_and_ctrl_c_end_the_run_in_seconds_with_one_line(prefect_harness, tmp_path, sig, code, with_server):
    proc, procs = start_and_wait_for_workers(tmp_path, with_server)
    if not with_server:  # Prefect's temporary server is one of the run's processes
        assert any("uvicorn" in cmdline(p) for p in procs)
    sent = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground group
    else:
        os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 15
    assert proc.returncode == code, err[-2000:]
    assert err.strip().splitlines()[-1].startswith(f"newsdag ingest: stopped by {signal.Signals(sig).name}")
    assert_all_gone(procs)
    rerun_completes(tmp_path)
