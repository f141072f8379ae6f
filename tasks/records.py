"""Plain records passed between stages (never spaCy objects, never connections).

A `Document` is one input record on its way to the `documents` table: the reader fills the
source fields, cleaning fills `clean_text`/`title`/`site`/`published_at` and `removed_lines`,
dedup sets `status`/`duplicate_of`, stories `story_id`. A stage never changes the documents it
is given: it returns new ones (`doc.copy()`, then edits the copy). Every stage may reject a
document (status `rejected` and a `status_reason`); a rejected document is still loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

OK = "ok"
DUPLICATE = "duplicate"
REJECTED = "rejected"


@dataclass
class RemovedLine:
    """A line that cleaning removed, with why (goes to `removed_lines`)."""

    line_no: int | None  # 1-based line of the raw text; None for HTML input
    text: str
    reason: str


@dataclass
class Document:
    doc_id: str
    source_uri: str
    raw_text: str
    content_type: str = "text"  # "text" or "html": which cleaner applies
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    clean_text: str | None = None
    content_hash: str | None = None  # exact-dedup key of the cleaned body
    status: str = OK
    status_reason: str | None = None
    duplicate_of: str | None = None
    story_id: str | None = None
    language: str | None = None  # ISO 639-1, detected before NLP (tasks/nlp/language.py)
    removed_lines: list[RemovedLine] = field(default_factory=list)
    # where it came from: the file it was read from (inbox bookkeeping) and reader notes
    file_path: str | None = None
    record_no: int | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> "Document":
        """A copy a stage may edit: the caller's document, notes and removed lines stay as they were."""
        return replace(self, notes=dict(self.notes), removed_lines=list(self.removed_lines))

    def reject(self, reason: str) -> "Document":
        self.status = REJECTED
        self.status_reason = reason
        return self

    @property
    def is_ok(self) -> bool:
        return self.status == OK
