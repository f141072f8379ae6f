"""Progress bars count documents from the start: no stage sits at `0/?`."""
from __future__ import annotations

import logging

from flows.progress import StageProgress

STAGES = ["read", "clean", "dedup", "nlp", "link", "stories", "load"]


def test_every_bar_has_a_total_from_the_start():
    progress = StageProgress(STAGES, total_files=3, logger=logging.getLogger("t"), interactive=True)
    try:
        tasks = {t.description: t for t in progress._bar.tasks}
        assert tasks["files"].total == 3
        assert all(tasks[s].total is not None for s in STAGES)
        progress.advance("read", 40, total=40)
        # a parse is under way: the NLP bars count the 30 ok documents handed to them, not `?`
        progress.expect(("nlp", "link", "stories"), 30)
        progress.advance("clean", 40, total=40)
        tasks = {t.description: t for t in progress._bar.tasks}
        assert (tasks["clean"].completed, tasks["clean"].total) == (40, 40)
        assert (tasks["nlp"].completed, tasks["nlp"].total) == (0, 30)
        assert tasks["load"].total == 40
    finally:
        progress.close()


def test_expected_totals_win_over_the_documents_read(caplog):
    progress = StageProgress(STAGES, total_files=1, logger=logging.getLogger("t"), interactive=False)
    progress.advance("read", 10, total=10)
    progress.expect(("nlp",), 6)
    progress.expect(("nlp",), 2)  # a second batch
    with caplog.at_level(logging.INFO, logger="t"):
        progress.advance("nlp", 8, total=10)  # the flow passes documents read; expected wins
    assert progress.totals["nlp"] == 8 and progress.totals["dedup"] == 10
    assert "nlp: 8/8 docs" in caplog.text
