"""How a run reaches Prefect: privacy defaults, and a local server started in plain sight.

With `PREFECT_API_URL` set, runs go to that server and show in its UI. Without it, Prefect starts
a temporary server in a subprocess for the length of the command. Prefect gives that server 20 s
to answer, counted in sleeps, so on a busy machine the run failed before it began; here it gets
`LOCAL_SERVER_TIMEOUT_S`, the wait is shown, and a server process that dies is reported at once
instead of being waited for.

Why not run without any server when PREFECT_API_URL is unset: Prefect 3 needs an API for every
task call (`get_client()` raises without one), so a server-free run would mean a second way of
calling every stage (`task.fn`, a local executor for `.submit`, no artifacts) beside the one the
UI shows, and two paths to keep equal. One path, started patiently and visibly, is the robust choice.

Setting names are Prefect 3.8's (`prefect/settings/models/server/ephemeral.py`,
`server/root.py`, `cloud.py`; `DO_NOT_TRACK` in `prefect/_internal/analytics/`).
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Callable, MutableMapping

LOCAL_SERVER_TIMEOUT_S = 600

# Defaults only: a value the user set in the environment wins.
PREFECT_DEFAULTS = {
    # the server's heartbeat to Prefect (and its red "Failed to send telemetry" line when offline)
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # the client SDK's usage events (checked by Prefect at each event)
    "DO_NOT_TRACK": "1",
    # orchestration telemetry (Prefect Cloud only; off so nothing depends on where the API is)
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # how long the temporary server may take to answer (Prefect's default: 20)
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(LOCAL_SERVER_TIMEOUT_S),
}


class LocalServerFailed(RuntimeError):
    """The temporary Prefect server did not come up."""


def apply_prefect_defaults(environ: MutableMapping[str, str] = os.environ) -> dict[str, str]:
    """Set the defaults above where the environment has no value; returns what was set.

    Prefect reads its settings when it is imported, so this runs before the first prefect import
    (the `flows` package does it on import).
    """
    applied = {}
    for key, value in PREFECT_DEFAULTS.items():
        if key not in environ:
            environ[key] = value
            applied[key] = value
    return applied


def api_url() -> str | None:
    """The Prefect API this process would talk to (environment or profile), None when unset."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def start_local_server(timeout_s: float = LOCAL_SERVER_TIMEOUT_S,
                       tick: Callable[[float], None] | None = None, poll_s: float = 0.25) -> str:
    """Start the temporary server Prefect would start on first use, and wait for it.

    Prefect keeps one such server per process (`SubprocessASGIServer()`), so the flow run that
    follows finds it running and uses it. `tick(seconds_waited)` is called while waiting.
    Returns the server's API URL; raises LocalServerFailed when the server process exits or
    does not answer within `timeout_s`.
    """
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    failure: list[BaseException] = []

    def start() -> None:
        try:
            server.start(timeout=int(timeout_s))
        except BaseException as exc:  # reported on the calling thread
            failure.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=start, name="newsdag-local-server", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(poll_s)
        process = server.server_process
        # exit code 3 is a port already taken: Prefect retries on another port by itself
        if process is not None and process.poll() not in (None, 3):
            raise LocalServerFailed(f"the local Prefect server exited with code {process.returncode} while starting")
        if tick is not None:
            tick(time.monotonic() - started)
    if failure:
        first_line = (str(failure[0]).strip().splitlines() or [type(failure[0]).__name__])[0]
        raise LocalServerFailed(f"the local Prefect server did not start: {first_line}")
    return server.api_url


class Status:
    """What a command is doing before its own output starts: one spinner line on a terminal (it
    disappears when done), plain lines in a pipe or a log."""

    def __init__(self, command: str, interactive: bool | None = None):
        self.prefix = f"newsdag {command}: "
        self.interactive = sys.stderr.isatty() if interactive is None else interactive
        self._status = None
        if self.interactive:
            from rich.console import Console

            self._status = Console(stderr=True).status(self.prefix + "starting...")
            self._status.start()

    def say(self, text: str) -> None:
        """A step worth a line in a log, too."""
        if self._status is not None:
            self._status.update(self.prefix + text)
        else:
            print(self.prefix + text, file=sys.stderr, flush=True)

    def update(self, text: str) -> None:
        """A detail for the terminal only (seconds waited)."""
        if self._status is not None:
            self._status.update(self.prefix + text)

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


def ensure_prefect_server(status: Status) -> None:
    """Without PREFECT_API_URL, start Prefect's temporary server now, saying so while it starts
    (LocalServerFailed when it does not come up)."""
    starting = "starting a local Prefect server (no PREFECT_API_URL)"
    said = "PREFECT_API_URL" not in os.environ
    if said:  # said before importing prefect, which alone takes seconds on a busy machine
        status.say(starting + "...")
    url = api_url()
    if url:
        if said:  # a Prefect profile or settings file names the server after all
            status.say(f"the Prefect settings name a server after all; using {url}")
        return
    start_local_server(tick=lambda seconds: status.update(f"{starting}... {seconds:.0f} s"))


class HideTracebacksOf(logging.Filter):
    """Drops console log records carrying one of these exceptions: the CLI prints them as one
    line itself. The records still reach Prefect's API handler, so the UI keeps the traceback."""

    def __init__(self, *types: type[BaseException]):
        super().__init__()
        self.types = types

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, self.types)


def hide_console_tracebacks(*types: type[BaseException]) -> None:
    """Install HideTracebacksOf on Prefect's console handlers (set up when prefect is imported)."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for logger in (logging.getLogger(), logging.getLogger("prefect")):
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler):
                handler.addFilter(HideTracebacksOf(*types))
