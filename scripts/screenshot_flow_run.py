"""Screenshot the Prefect UI page of a flow run (default: the latest completed) with headless Chromium.

Not part of CI. Needs a running server (PREFECT_API_URL) with its UI and Debian's chromium:

    apt-get install -y chromium
    .venv/bin/python scripts/screenshot_flow_run.py --out docs/flow-run.png [--run-id ID]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import httpx


def latest_run(api: str) -> dict:
    runs = httpx.post(f"{api}/flow_runs/filter", json={"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
                                                       "sort": "START_TIME_DESC", "limit": 1}, timeout=10).json()
    if not runs:
        sys.exit("no completed flow runs on this server yet: trigger one first")
    return runs[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="flow-run.png")
    ap.add_argument("--run-id")
    ap.add_argument("--tab", default="artifacts", help="flow run page tab to open (artifacts, logs, ...)")
    ap.add_argument("--size", default="1600,1200")
    a = ap.parse_args()
    api = os.environ.get("PREFECT_API_URL")
    if not api:
        sys.exit("set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)")
    run_id = a.run_id or latest_run(api)["id"]
    ui = api.rstrip("/").removesuffix("/api")
    url = f"{ui}/runs/flow-run/{run_id}?tab={a.tab}"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--hide-scrollbars", "--virtual-time-budget=15000",
                        f"--window-size={a.size}", f"--screenshot={os.path.abspath(a.out)}", url],
                       check=True, timeout=120, capture_output=True)
    print(f"wrote {a.out} from {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
