"""The rows a stage returns: one frozen dataclass per warehouse table.

A step returns `(records, rows)`, where `rows` is a `Rows`: table name -> rows of that table's
dataclass. The fields of each dataclass are the columns its migration creates, minus `load_id`,
which the loader adds (`tests/test_rows.py` checks them against `warehouse/migrations/`). So the
flow never names a column: stages build their rows, the loader writes them.

A row also reads like a mapping (`row["doc_id"]`, `row.get("label")`), so a state's `from_rows`
takes the rows a step returned and the rows a warehouse query returned alike.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from typing import Any, ClassVar

from tasks.records import Document


class Row:
    """Base of the table rows: the table's name, its primary key, mapping-style reads."""

    TABLE: ClassVar[str]
    KEY: ClassVar[tuple[str, ...]] = ()  # primary key columns; () for an append-only table

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _row(table: str, key: tuple[str, ...] = ()):
    def wrap(cls):
        cls = dataclass(frozen=True)(cls)
        cls.TABLE, cls.KEY = table, key
        return cls
    return wrap


# -- core tables (0001_core.sql) -------------------------------------------------------------

@_row("documents", ("doc_id",))
class DocumentRow(Row):
    doc_id: str
    source_uri: str | None = None
    site: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    raw_text: str | None = None
    clean_text: str | None = None
    content_hash: str | None = None
    status: str | None = None
    status_reason: str | None = None
    duplicate_of: str | None = None
    story_id: str | None = None
    author: str | None = None
    content_type: str | None = None
    file_path: str | None = None
    record_no: int | None = None
    notes: dict | None = None
    language: str | None = None  # ISO 639-1, detected before NLP (migration 0006)


@_row("removed_lines")
class RemovedLineRow(Row):
    doc_id: str
    line_no: int | None
    text: str
    reason: str


@_row("duplicates", ("doc_id",))
class DuplicateRow(Row):
    doc_id: str
    duplicate_of: str
    method: str
    similarity: float


@_row("story_records", ("story_id",))
class StoryRecordRow(Row):
    story_id: str
    label: str | None


@_row("entities", ("entity_id",))
class EntityRow(Row):
    entity_id: str
    name: str
    label: str
    country_code: str | None = None  # ISO-3166 alpha-3 of a country entity (0008_quotes_entities.sql)


@_row("entity_aliases", ("entity_id", "alias"))
class EntityAliasRow(Row):
    entity_id: str
    alias: str


@_row("mentions")
class MentionRow(Row):
    doc_id: str
    entity_id: str
    text: str
    label: str
    start_char: int
    end_char: int
    field: str | None = None  # which field the offsets point into: 'clean_text' or 'title'


@_row("quotes")
class QuoteRow(Row):
    doc_id: str
    speaker_entity_id: str | None
    speaker: str | None
    quote: str
    start_char: int
    end_char: int
    confidence: float | None = None  # how likely the speaker is right; None without a speaker


@_row("event_records", ("event_id",))
class EventRecordRow(Row):
    event_id: str
    event_type: str
    event_date: date | None
    date_precision: str | None
    location: str | None
    confidence: float
    date_source: str | None = None  # 'text', 'published' or 'document' (0007_events.sql)


@_row("event_arguments")
class EventArgumentRow(Row):
    event_id: str
    role: str
    entity_id: str | None  # None: an argument that names no entity ("a human rights group")
    name: str
    country: str | None = None  # ISO-3166 alpha-3
    sector: str | None = None  # GOV, MIL, REB, CVL, BUS, IGO, ...


@_row("event_mentions")
class EventMentionRow(Row):
    event_id: str
    doc_id: str
    sentence: str
    start_char: int
    end_char: int
    confidence: float
    evidence: str | None = None  # the words that carry the event


@_row("ingested_files", ("file_path",))
class IngestedFileRow(Row):
    file_path: str
    size: int
    mtime: float
    file_hash: str


@_row("loads", ("load_id",))
class LoadRow(Row):
    load_id: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    documents_seen: int
    documents_new: int
    summary: dict | None


# -- stage state tables (0002_clean.sql, 0003_dedup.sql, 0004_nlp.sql, 0005_story_merges.sql) --

@_row("site_lines", ("site", "line_key"))
class SiteLineRow(Row):
    site: str
    line_key: str
    num_docs: int


@_row("site_docs", ("site",))
class SiteDocRow(Row):
    site: str
    num_docs: int


@_row("dedup_keys", ("content_hash",))
class DedupKeyRow(Row):
    content_hash: str
    doc_id: str


@_row("minhash_bands")
class MinhashBandRow(Row):
    band: int
    bucket: int
    doc_id: str


@_row("minhash_shingles", ("doc_id",))
class MinhashShingleRow(Row):
    doc_id: str
    shingles: bytes


@_row("story_features", ("doc_id",))
class StoryFeatureRow(Row):
    """Story state before migration 0009 (which carried it into `story_doc_features`); no step
    writes it any more."""

    doc_id: str
    story_id: str
    seq: int
    terms: str
    entities: str
    quotes: str
    years: str
    published_at: datetime | None


@_row("story_merges", ("story_id",))
class StoryMergeRow(Row):
    story_id: str
    merged_into: str


# -- story state (0009_stories.sql): asked for by key (warehouse/stories.py), never read whole --

@_row("story_doc_features", ("doc_id",))
class StoryDocFeatureRow(Row):
    doc_id: str
    seq: int
    day: int | None  # publication day (proleptic ordinal), None if unknown
    legacy_group: str | None  # story of a warehouse clustered before 0009
    features: str  # tasks.stories.StoryFeatures as JSON
    error: str | None = None  # why the features are empty


@_row("story_keys")
class StoryKeyRow(Row):
    key: str  # "n:" entity name or "t:" heavy term
    dated_key: str  # key@32-day period (key@u undated): a dated lookup reads only its window
    doc_id: str
    day: int | None


@_row("story_links")
class StoryLinkRow(Row):
    doc_id: str  # the later arrival of the pair
    other_id: str
    score: float  # probability of the same story


@_row("story_assignments", ("doc_id",))
class StoryAssignmentRow(Row):
    doc_id: str
    component_id: str
    story_id: str
    day: int | None


@_row("nlp_event_keys", ("event_id",))
class NlpEventKeyRow(Row):
    event_id: str
    event_type: str
    actor_ids: str | None
    target_ids: str | None
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None
    location: str | None
    confidence: float | None
    date_source: str | None = None
    date_lo: date | None = None  # the window of days the event may have happened on
    date_hi: date | None = None
    story_ids: str | None = None


# -- looked-up state and the search index (0010_state_lookups.sql, 0011_search_index.sql) -------

@_row("entity_person_keys", ("entity_id",))
class EntityPersonKeyRow(Row):
    entity_id: str
    last_token: str | None


@_row("entity_name_forms")
class EntityNameFormRow(Row):
    """Mentions of an entity under one spelling in one load (0012_entity_name_forms.sql)."""

    entity_id: str
    form: str
    num_mentions: int


# Written by the load from its own rows (warehouse/post_load.sql, warehouse/fts.py), never by a
# stage: listed so that every table has its row type.
@_row("entity_label_votes")
class EntityLabelVoteRow(Row):
    entity_id: str
    label: str
    num_mentions: int


@_row("search_docs")
class SearchDocRow(Row):
    doc_no: int
    doc_id: str
    num_terms: int


@_row("search_postings")
class SearchPostingRow(Row):
    term: str
    doc_no: int
    tf: int


ROW_TYPES: dict[str, type[Row]] = {cls.TABLE: cls for cls in Row.__subclasses__()}


class Rows(dict):
    """Rows to write, per table (table name -> list of that table's row dataclass), and counts
    for the run summary (`counts`: e.g. `files_skipped`, `nlp_errors`)."""

    def __init__(self, *rows: Row) -> None:
        super().__init__()
        self.counts: Counter = Counter()
        self.extend(rows)

    def add(self, row: Row) -> None:
        self.setdefault(row.TABLE, []).append(row)

    def extend(self, rows: Iterable[Row]) -> Rows:
        for row in rows:
            self.add(row)
        return self

    def merge(self, other: Rows) -> Rows:
        for table, rows in other.items():
            self.setdefault(table, []).extend(rows)
        self.counts.update(getattr(other, "counts", {}))
        return self


def from_dicts(table: str, dicts: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Typed rows of `table` from plain dicts (a stage's older dict output)."""
    cls = ROW_TYPES[table]
    return [cls(**d) for d in dicts]


def rows_from_dicts(by_table: Mapping[str, Iterable[Mapping[str, Any]]]) -> Rows:
    out = Rows()
    for table, dicts in by_table.items():
        out.extend(from_dicts(table, dicts))
    return out


def document_rows(docs: Iterable[Document]) -> Rows:
    """`documents` and `removed_lines` rows of documents no later stage changes, with their
    statuses counted (`ok`, `duplicate`, `rejected`, `rejected.<reason>`) for the summary."""
    out = Rows()
    for d in docs:
        out.add(DocumentRow(
            doc_id=d.doc_id, source_uri=d.source_uri, site=d.site, title=d.title, published_at=d.published_at,
            raw_text=d.raw_text, clean_text=d.clean_text, content_hash=d.content_hash, status=d.status,
            status_reason=d.status_reason, duplicate_of=d.duplicate_of, story_id=d.story_id, author=d.author,
            content_type=d.content_type, file_path=d.file_path, record_no=d.record_no, notes=dict(d.notes) or None,
            language=d.language,
        ))
        out.extend(RemovedLineRow(d.doc_id, r.line_no, r.text, r.reason) for r in d.removed_lines)
        out.counts[d.status] += 1
        if d.status == "rejected":
            out.counts[f"rejected.{d.status_reason or 'unknown'}"] += 1
    return out


def completed_load(load_id: str, started_at: datetime, summary: dict[str, Any], documents_new: int) -> LoadRow:
    """The `loads` row of a run, written last in its transaction (so it exists only once the
    run's data is in). `documents_seen` counts records read again that were already loaded."""
    return LoadRow(
        load_id=load_id, started_at=started_at, finished_at=datetime.now(timezone.utc).replace(tzinfo=None),
        status="completed", documents_seen=summary["documents_read"] + summary["already_loaded"],
        documents_new=documents_new, summary=summary,
    )
