"""Start-up: Prefect's privacy and patience defaults, a local server started in plain sight, and
the sample ingest on a busy machine (the acceptance test of issue 16)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows.startup import PREFECT_DEFAULTS, apply_prefect_defaults
from tests.conftest import REPO

NEWSDAG = str(Path(sys.executable).parent / "newsdag")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any Prefect setting or API URL of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "DO_NOT_TRACK"}
    return {**env, **extra}


def test_defaults_fill_gaps_and_never_override_the_user():
    env = {"PREFECT_SERVER_ANALYTICS_ENABLED": "true"}
    applied = apply_prefect_defaults(env)
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true" and "PREFECT_SERVER_ANALYTICS_ENABLED" not in applied
    assert env["DO_NOT_TRACK"] == "1" and env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "600"
    assert set(applied) == set(PREFECT_DEFAULTS) - {"PREFECT_SERVER_ANALYTICS_ENABLED"}


def test_installed_prefect_reads_the_settings_we_set(tmp_path):
    """The names are Prefect's own: a fresh interpreter importing `flows` sees them in Prefect's
    settings object, and Prefect's own telemetry checks say off."""
    code = (
        "import json, flows\n"
        "from prefect.settings import get_current_settings\n"
        "from prefect._internal.analytics.enabled import is_telemetry_enabled\n"
        "s = get_current_settings()\n"
        "print(json.dumps({'analytics': s.server.analytics_enabled,\n"
        "  'timeout': s.server.ephemeral.startup_timeout_seconds,\n"
        "  'cloud_telemetry': s.cloud.enable_orchestration_telemetry,\n"
        "  'sdk_telemetry': is_telemetry_enabled()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=clean_env(PREFECT_HOME=str(tmp_path)), cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {
        "analytics": False, "timeout": 600, "cloud_telemetry": False, "sdk_telemetry": False}


def cpu_hogs(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(n)]


@pytest.mark.slow
def test_sample_ingest_on_a_busy_machine(tmp_path):
    """Three CPU-bound processes beside the run (on a 2-core machine: a load of 5 and more): the
    run completes, prints no ERROR line, and says within seconds that it is starting a server."""
    hogs = cpu_hogs(3)
    try:
        started = time.monotonic()
        proc = subprocess.Popen([NEWSDAG, "ingest", "--db", str(tmp_path / "news.duckdb")], cwd=REPO,
                                env=clean_env(PREFECT_HOME=str(tmp_path / "prefect")),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first_line: dict[str, float] = {}
        err_lines: list[str] = []

        def read_stderr() -> None:
            for line in proc.stderr:
                first_line.setdefault("at", time.monotonic() - started)
                err_lines.append(line)

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        out = proc.stdout.read()
        proc.wait(timeout=900)
        reader.join(10)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    err = "".join(err_lines)
    assert all(hog.returncode is not None for hog in hogs)
    assert proc.returncode == 0, err[-3000:]
    assert "completed into" in out and "new 5" in out
    assert "ERROR" not in err and "Traceback" not in err, err[-3000:]
    assert err_lines[0] == "newsdag ingest: checking the settings and the spaCy model...\n", err_lines[:3]
    assert err_lines[1].startswith("newsdag ingest: starting a local Prefect server"), err_lines[:3]
    print(f"first line after {first_line['at']:.1f} s, done after {time.monotonic() - started:.1f} s")
    assert first_line["at"] < 10, f"first word after {first_line['at']:.1f} s"
