"""Screenshot the Prefect UI page of a flow run (default: the latest completed), on a chosen tab,
with headless Chromium driven over the DevTools protocol.

Not part of CI. Needs a running server (PREFECT_API_URL) with its UI and Debian's chromium:

    apt-get install -y chromium
    .venv/bin/python scripts/screenshot_flow_run.py --out docs/flow-run.png [--run-id ID] [--tab artifacts]

Why not `chromium --screenshot URL?tab=Artifacts`: the UI hides the Artifacts (and Task Runs)
tab until the run's state has loaded, and falls back to Logs meanwhile, so the query parameter
alone always shows Logs. The script waits for the page, clicks the tab, waits for its content.
"""
from __future__ import annotations

import argparse
import base64
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

# The flow run page's tabs as the Prefect UI labels them (its `?tab=` value is the label).
TABS = {"logs": "Logs", "task-runs": "Task Runs", "subflow-runs": "Subflow Runs", "artifacts": "Artifacts",
        "details": "Details", "parameters": "Parameters", "job-variables": "Job Variables"}
# Text that shows the tab's content has rendered (None: the tab's label being selected is enough).
TAB_READY_TEXT = {"artifacts": "ingest-summary"}


def latest_run(api: str) -> dict:
    runs = httpx.post(f"{api}/flow_runs/filter", json={"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
                                                       "sort": "START_TIME_DESC", "limit": 1}, timeout=10).json()
    if not runs:
        sys.exit("no completed flow runs on this server yet: trigger one first")
    return runs[0]


def tab_label(tab: str) -> str:
    label = TABS.get(tab.lower().replace(" ", "-").replace("_", "-"))
    if label is None:
        raise ValueError(f"unknown tab {tab!r}; one of: {', '.join(TABS)}")
    return label


def flow_run_url(ui: str, run_id: str, tab: str) -> str:
    """The UI address of a flow run page asking for `tab` (a key of TABS or a label)."""
    return f"{ui.rstrip('/')}/runs/flow-run/{run_id}?tab={quote(tab_label(tab))}"


def click_tab_js(label: str) -> str:
    """JavaScript that clicks the page tab labelled `label`; evaluates to true when it found one."""
    return ("(() => { const el = [...document.querySelectorAll('button, [role=tab], a, li, div')]"
            f".filter(e => e.children.length <= 1 && e.textContent.trim() === {json.dumps(label)})"
            ".pop(); if (!el) return false; el.click(); return true; })()")


class DevTools:
    """The few DevTools-protocol calls a screenshot needs, over one websocket."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=64 * 2**20)
        self.ids = itertools.count(1)

    def call(self, method: str, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
            time.sleep(0.5)

    def close(self) -> None:
        self.ws.close()


def screenshot(url: str, tab: str, out: Path, size: tuple[int, int], chromium: str, timeout_s: float = 90) -> None:
    label = tab_label(tab)
    with tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", f"--window-size={size[0]},{size[1]}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not port_file.exists() or not port_file.read_text().strip():
                if time.monotonic() > deadline or browser.poll() is not None:
                    raise RuntimeError("chromium did not open its DevTools port")
                time.sleep(0.2)
            port = port_file.read_text().split()[0]
            page = next(t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
                        if t["type"] == "page")
            tools = DevTools(page["webSocketDebuggerUrl"])
            try:
                tools.call("Page.enable")
                tools.call("Page.navigate", url=url)
                tools.wait_for(click_tab_js(label), timeout_s, f"the {label} tab")
                ready = TAB_READY_TEXT.get(tab.lower())
                if ready:
                    tools.wait_for(f"document.body.innerText.includes({json.dumps(ready)})", timeout_s,
                                   f"{ready!r} on the {label} tab")
                time.sleep(1.0)  # let the last layout settle
                shot = tools.call("Page.captureScreenshot", format="png")
            finally:
                tools.close()
            out.write_bytes(base64.b64decode(shot["data"]))
        finally:
            browser.terminate()
            try:
                browser.wait(timeout=10)
            except subprocess.TimeoutExpired:
                browser.kill()
                browser.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="flow-run.png", help="PNG file to write")
    ap.add_argument("--run-id", help="flow run id (default: the latest completed run)")
    ap.add_argument("--tab", default="artifacts", choices=sorted(TABS), help="flow run page tab to show")
    ap.add_argument("--size", default="1600,1200", help="window width,height in pixels")
    a = ap.parse_args()
    api = os.environ.get("PREFECT_API_URL")
    if not api:
        sys.exit("set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium not found: apt-get install -y chromium")
    run_id = a.run_id or latest_run(api)["id"]
    url = flow_run_url(api.rstrip("/").removesuffix("/api"), run_id, a.tab)
    width, height = (int(v) for v in a.size.split(","))
    screenshot(url, a.tab, Path(a.out), (width, height), chromium)
    print(f"wrote {a.out} from {url} ({TABS[a.tab]} tab)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
