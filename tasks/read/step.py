"""The read step: a chunk of input files to new Documents and `ingested_files` rows.

Each file is fingerprinted in blocks and its records streamed (`read_file`), never held whole;
paths that are not regular files become rejected rows (`input_problem`).

`ReadState` knows what the warehouse already has (loaded document ids, ingested files), asked
for per chunk through a `ReadSource` (the chunk's paths, then the record ids of each run of
`IDS_PER_LOOKUP` records), and the ids this run has read so far, the one thing the step
advances, so a record met twice in a run is cleaned once. Files unchanged since they were
ingested are skipped before parsing; records already loaded are counted (`already_loaded`), not
returned.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from tasks.lookup import ReadThroughDict, ReadThroughSet
from tasks.read.inputs import fingerprint_file, input_key
from tasks.read.readers import ReadConfig, read_file, rejected_file
from tasks.records import Document
from tasks.rows import IngestedFileRow, Rows

IO_RETRY_DELAYS_S = (0.5, 2.0)
IDS_PER_LOOKUP = 1024  # record ids asked for in one lookup (a JSONL file may hold millions)


class ReadSource(Protocol):
    """Where loaded documents and ingested files are asked for."""

    def known_doc_ids(self, doc_ids: Iterable[str]) -> set[str]: ...

    def ingested_files(self, paths: Iterable[str]) -> list[dict]: ...

    def known_file_hashes(self, hashes: Iterable[str]) -> set[str]: ...


@dataclass
class ReadState:
    """Loaded document ids and ingested files (asked for, or given), and the ids read by this run."""

    doc_ids: frozenset[str] = frozenset()
    files: Mapping[str, tuple[int, float]] = field(default_factory=dict)  # path -> (size, mtime)
    file_hashes: frozenset[str] = frozenset()
    read: set[str] = field(default_factory=set)

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[Mapping]] | None = None) -> ReadState:
        """From `documents` rows (doc_id) and `ingested_files` rows (file_path, size, mtime, file_hash)."""
        rows = rows or {}
        files = list(rows.get("ingested_files", ()))
        return cls(
            doc_ids=frozenset(r["doc_id"] for r in rows.get("documents", ())),
            files={r["file_path"]: (r["size"], r["mtime"]) for r in files},
            file_hashes=frozenset(r["file_hash"] for r in files if r["file_hash"]),
        )

    @classmethod
    def from_source(cls, source: ReadSource) -> ReadState:
        """What is loaded stays in `source`; the step asks for its chunk's files and records."""
        return cls(
            doc_ids=ReadThroughSet(source.known_doc_ids),
            files=ReadThroughDict(lambda paths: {r["file_path"]: (r["size"], r["mtime"])
                                                 for r in source.ingested_files(paths)}),
            file_hashes=ReadThroughSet(source.known_file_hashes),
        )

    def prefetch(self, container: str, keys: Iterable[str]) -> None:
        """Ask for a chunk's paths (`files`) or a file's record ids (`doc_ids`) at once."""
        target = getattr(self, container)
        if hasattr(target, "prefetch"):
            target.prefetch(keys)

    def seen(self, doc_id: str) -> bool:
        return doc_id in self.doc_ids or doc_id in self.read


def read_with_retries(path: Path, config: ReadConfig, delays: tuple[float, ...] | None = None):
    """(the file's fingerprint, None) or (None, why it is not an input); an OS error (a locked or
    vanishing file, a flaky mount) is transient and retried with backoff, then reported as
    `unreadable`. Bad content is never retried. The file is read in blocks, never held whole."""
    for delay in (*(IO_RETRY_DELAYS_S if delays is None else delays), None):
        try:
            return fingerprint_file(path)
        except OSError as exc:
            if delay is None:
                return None, f"unreadable: {exc.strerror or type(exc).__name__}"
            time.sleep(delay)


def read_step(files: list[Path], state: ReadState, config: ReadConfig = ReadConfig()) -> tuple[list[Document], Rows]:
    """Read the files not seen before: (new documents, rows). The rows hold `ingested_files` and
    the counts `files_skipped` (unchanged files) and `already_loaded` (records read again)."""
    docs: list[Document] = []
    rows = Rows()
    state.prefetch("files", (input_key(path) for path in files))
    for path in files:
        key = input_key(path)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is not None and state.files.get(key) == (stat.st_size, stat.st_mtime):
            rows.counts["files_skipped"] += 1
            continue
        fingerprint, reason = read_with_retries(path, config)
        if fingerprint is None:
            found = [rejected_file(path, reason)]
        else:
            rows.add(IngestedFileRow(key, stat and stat.st_size, stat and stat.st_mtime, fingerprint))
            if key in state.files and fingerprint in state.file_hashes:
                rows.counts["files_skipped"] += 1  # touched but unchanged
                continue
            found = read_file(path, config)  # streamed: records as they are read
        for part in _runs(found, IDS_PER_LOOKUP):
            state.prefetch("doc_ids", (doc.doc_id for doc in part))
            for doc in part:
                if state.seen(doc.doc_id):
                    rows.counts["already_loaded"] += 1
                    continue
                state.read.add(doc.doc_id)
                docs.append(doc)
    return docs, rows


def _runs(records: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Records in lists of `size` as they are read (a file's records are never all held at once)."""
    it = iter(records)
    while part := list(islice(it, size)):
        yield part
