"""`newsdag serve`: the deployments of prefect.yaml, served from one process (no work pool).

The deployments are read from prefect.yaml, never duplicated here, so `prefect deploy --all`
(with a worker on the `newsdag` pool) and `newsdag serve` offer the same schedules and forms.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from flows.settings import PROJECT_ROOT

PREFECT_FILE = PROJECT_ROOT / "prefect.yaml"
START_HINT = (
    "start one with `PREFECT_SERVER_ANALYTICS_ENABLED=false .venv/bin/prefect server start` and "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api` (README: Schedules and the Prefect UI)"
)


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class ServerUnavailable(RuntimeError):
    """No Prefect server to serve against (runs would never show in the UI)."""


def read_deployments(path: Path = PREFECT_FILE) -> list[dict[str, Any]]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    deployments = spec.get("deployments") or []
    if not deployments:
        raise ValueError(f"{path} declares no deployments")
    return deployments


def check_server(api_url: str | None, timeout_s: float = 5.0) -> str:
    """The API URL when a server answers there; else ServerUnavailable saying what to do."""
    if not api_url:
        raise ServerUnavailable("PREFECT_API_URL is not set, so runs would go to a temporary server that no UI "
                                "shows; " + START_HINT)
    import httpx

    try:
        response = httpx.get(api_url.rstrip("/") + "/health", timeout=timeout_s)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise ServerUnavailable(f"no Prefect server answers at {api_url} ({one_line(exc)}); " + START_HINT) from exc
    return api_url


def runner_deployments(specs: list[dict[str, Any]]) -> list:
    """RunnerDeployments of the `ingest` flow, one per prefect.yaml entry."""
    from prefect.schedules import Cron

    from flows.ingest import ingest

    out = []
    for spec in specs:
        schedules = [Cron(s["cron"], timezone=s.get("timezone"), active=s.get("active", True))
                     for s in spec.get("schedules") or [] if s.get("cron")]
        out.append(ingest.to_deployment(
            name=spec["name"], description=spec.get("description"), tags=spec.get("tags"),
            parameters=spec.get("parameters") or {}, schedules=schedules,
            concurrency_limit=spec.get("concurrency_limit"),
        ))
    return out


def serve(prefect_file: Path = PREFECT_FILE) -> None:
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_API_URL

    check_server(os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value())
    os.chdir(PROJECT_ROOT)  # relative paths in the deployments (data/inbox) mean the project's
    (PROJECT_ROOT / "data" / "inbox").mkdir(parents=True, exist_ok=True)
    prefect_serve(*runner_deployments(read_deployments(prefect_file)))
