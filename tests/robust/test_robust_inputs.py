"""Bounded memory and time whatever arrives: JSONL streamed, gzip bombs bounded, only regular
files read (FIFOs, links, /proc reported as rejected rows), HTML too deep to parse said so."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.read import ReadConfig, ReadState, expand_paths, read_file, read_step

REPO = Path(__file__).resolve().parents[2]
BODY = "The minister said talks would go on. " * 20


def read_paths(paths) -> dict[str, tuple]:
    docs, _ = read_step(expand_paths(paths), ReadState(), ReadConfig())
    return {Path(d.file_path).name: (d.status, d.status_reason) for d in docs}


def peak_rss_mb(code: str, timeout: float = 120) -> float:
    """Peak resident memory (MB) of a fresh interpreter running `code`."""
    script = code + "\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-2000:]
    return float(out.stdout.split()[-1])


def test_jsonl_gz_is_streamed_memory_does_not_follow_the_file(tmp_path):
    p = tmp_path / "y.jsonl.gz"
    line = b'{"text":"y"}\n'
    with gzip.open(p, "wb", compresslevel=1) as fh:
        for _ in range(60):  # 78 MB of records, 6 million of them
            fh.write(line * 100_000)
    base = peak_rss_mb("import tasks.read")
    code = (f"from pathlib import Path; from tasks.read import read_file, ReadConfig\n"
            f"docs = list(read_file(Path({str(p)!r}), ReadConfig(max_records_per_file=50_000)))\n"
            "assert len(docs) == 50_001 and docs[-1].status_reason == 'too_many_records', docs[-1]")
    assert peak_rss_mb(code) - base < 250  # reading the whole file used to hold ~1.5 GB


def test_a_gzip_bomb_named_jsonl_is_rejected_without_inflating_it(tmp_path):
    p = tmp_path / "bomb.jsonl.gz"
    with gzip.open(p, "wb", compresslevel=1) as fh:
        for _ in range(16):
            fh.write(bytes(16 << 20))  # 256 MiB of zeros in 250 KB
    base = peak_rss_mb("import tasks.read")
    code = (f"from pathlib import Path; from tasks.read import read_file\n"
            f"(doc,) = read_file(Path({str(p)!r}))\n"
            "assert (doc.status, doc.status_reason) == ('rejected', 'binary'), doc")
    assert peak_rss_mb(code) - base < 100  # it used to be inflated whole


def test_a_line_longer_than_max_bytes_is_skipped_unheld_and_the_next_line_loads(tmp_path):
    p = tmp_path / "long.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b'{"text": "' + b"a" * 5_000_000 + b'"}\n' + json.dumps({"text": BODY}).encode() + b"\n")
    docs = list(read_file(p, ReadConfig(max_bytes=100_000)))
    assert [(d.status, d.status_reason, d.record_no) for d in docs] == [("rejected", "too_large", 1), ("ok", None, 2)]


def test_the_records_before_a_truncated_gzip_are_kept(tmp_path):
    p = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(b"".join(json.dumps({"text": f"{BODY} {i}"}).encode() + b"\n" for i in range(2000)))
    p.write_bytes(data[: len(data) // 2])
    docs = list(read_file(p))
    assert docs[-1].status_reason == "corrupt_gzip" and len(docs) > 10
    assert all(d.status == "ok" for d in docs[:-2])


def test_a_container_past_max_container_bytes_ends_with_one_too_large_row(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(json.dumps({"text": f"{BODY} {i}"}) for i in range(100)))
    docs = list(read_file(p, ReadConfig(max_container_bytes=20_000)))
    assert docs[-1].status_reason == "too_large" and 10 < len(docs) < 100


def test_a_fifo_in_a_folder_or_named_directly_is_reported_not_opened(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(BODY)
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    os.mkfifo(tmp_path / "direct.jsonl")
    code = ("import json, sys; from tests.robust.test_robust_inputs import read_paths\n"
            f"print(json.dumps(read_paths([{str(tmp_path / 'in')!r}, {str(tmp_path / 'direct.jsonl')!r}])))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout) == {"good.txt": ["ok", None], "pipe.txt": ["rejected", "not_a_file: fifo"],
                                      "direct.jsonl": ["rejected", "not_a_file: fifo"]}


def test_links_that_dangle_or_loop_and_folder_cycles_are_reported_once(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "good.txt").write_text(BODY)
    os.symlink(d / "nowhere.txt", d / "dangling.txt")
    os.symlink(d / "loop.txt", d / "loop.txt")
    os.symlink(d, d / "sub" / "cycle")  # a folder cycle is walked once, not forever
    os.symlink(d / "good.txt", d / "sub" / "alias.txt")  # the same file twice is read once
    assert read_paths([d]) == {"good.txt": ("ok", None), "dangling.txt": ("rejected", "dangling_link"),
                               "loop.txt": ("rejected", "symlink_loop")}


def test_an_unreadable_folder_is_a_rejected_row(tmp_path, monkeypatch):
    d = tmp_path / "in"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "a.txt").write_text(BODY)
    (d / "good.txt").write_text(BODY)
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(d / "locked"):  # root reads any folder: simulate EACCES
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert read_paths([d]) == {"good.txt": ("ok", None), "locked": ("rejected", "unreadable_folder: Permission denied")}


def test_proc_files_and_unsupported_types_named_directly_are_not_read(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    os.symlink("/proc/self/environ", tmp_path / "env.txt")
    got = read_paths(["/proc/self/environ", tmp_path / "notes.docx"])
    assert got == {"environ": ("rejected", "not_a_file: proc"), "notes.docx": ("rejected", "unsupported_type")}
    assert read_paths([tmp_path / "env.txt"]) == {"env.txt": ("rejected", "not_a_file: proc")}


@pytest.mark.parametrize("where", ["file", "record"])
def test_html_nested_past_the_parser_limit_is_too_deep(tmp_path, where):
    page = f"<html><body><p>{BODY}</p>" + "<div>" * 300 + f"<p>{BODY}</p>" + "</div>" * 300 + "</body></html>"
    if where == "file":
        p = tmp_path / "deep.html"
        p.write_text(page)
    else:
        p = tmp_path / "deep.json"
        p.write_text(json.dumps({"html": page}))
    (doc,) = list(read_file(p))
    assert (doc.status, doc.status_reason) == ("rejected", "too_deep")
    shallow = tmp_path / "ok.html"
    shallow.write_text(page.replace("<div>" * 300, "<div>" * 100).replace("</div>" * 300, "</div>" * 100))
    assert [d.status for d in read_file(shallow)] == ["ok"]
