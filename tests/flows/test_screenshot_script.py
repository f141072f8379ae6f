"""scripts/screenshot_flow_run.py opens the tab it is asked for."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("screenshot_flow_run", REPO / "scripts" / "screenshot_flow_run.py")
shot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shot)


def test_tab_names_are_the_ui_labels():
    assert shot.flow_run_url("http://h:4200/", "r1", "artifacts") == "http://h:4200/runs/flow-run/r1?tab=Artifacts"
    assert shot.flow_run_url("http://h:4200", "r1", "task-runs").endswith("?tab=Task%20Runs")
    with pytest.raises(ValueError, match="unknown tab"):
        shot.flow_run_url("http://h", "r1", "artefacts")


def test_labels_match_the_installed_prefect_ui():
    import prefect

    bundles = list((Path(prefect.__file__).parent / "server" / "ui" / "assets").glob("FlowRun-*.js"))
    if not bundles:
        pytest.skip("this Prefect has no bundled UI")
    text = "".join(b.read_text(encoding="utf-8", errors="replace") for b in bundles)
    ui_labels = set(re.findall(r"\{label:`([^`]+)`", text))
    assert set(shot.TABS.values()) <= ui_labels, ui_labels


@pytest.mark.slow
def test_the_tab_is_clicked_once_it_appears(tmp_path):
    """A page that, like the Prefect UI, shows the tab only after loading, and its content only
    after a click: the screenshot is taken only once the content is there."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    page = tmp_path / "run.html"
    page.write_text("""<!DOCTYPE html><html><body><nav id="tabs"><button>Logs</button></nav><main>logs...</main>
<script>setTimeout(() => { const b = document.createElement('button'); b.textContent = 'Artifacts';
b.onclick = () => { document.querySelector('main').textContent = 'ingest-summary new-events'; };
document.getElementById('tabs').appendChild(b); }, 1500);</script></body></html>""")
    out = tmp_path / "shot.png"
    shot.screenshot(page.as_uri(), "artifacts", out, (800, 600), chromium, timeout_s=60)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 1000
