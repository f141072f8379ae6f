"""Open a `newsdag report` file in headless Chromium with the network off and check that every
chart rendered (plotly draws an <svg class="main-svg"> per chart); optionally save a screenshot.

    .venv/bin/newsdag report --out report.html
    .venv/bin/python scripts/check_report.py report.html [--screenshot docs/report.png]

Needs Debian's chromium (apt-get install -y chromium). Exit 1 when a chart did not render.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         # no network at all: a chart that needed a CDN would not render
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=10000"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("chromium not found: apt-get install -y chromium")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report")
    ap.add_argument("--screenshot")
    a = ap.parse_args()
    url = "file://" + os.path.abspath(a.report)
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120).stdout
        if a.screenshot:
            subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--window-size=1300,2400",
                            f"--screenshot={os.path.abspath(a.screenshot)}", url], capture_output=True, timeout=120)
    charts = len(re.findall(r'class="chart"', dom))
    rendered = len(re.findall(r'<div[^>]+class="[^"]*js-plotly-plot', dom))
    print(f"{a.report}: {rendered} of {charts} charts rendered by plotly in headless Chromium (network off)")
    return 0 if charts and rendered == charts else 1


if __name__ == "__main__":
    sys.exit(main())
