-- Core schema: every table of the public contract (CONTRACT.md), plus the bookkeeping the
-- pipeline needs. Counts that change as documents arrive (stories, events) are views over
-- append-only records, so they are never frozen.

CREATE TABLE loads (
    load_id        VARCHAR PRIMARY KEY,
    started_at     TIMESTAMP,
    finished_at    TIMESTAMP,
    status         VARCHAR,          -- 'completed' (a load row exists only once its data is in)
    documents_seen BIGINT,
    documents_new  BIGINT,
    summary        JSON              -- counts and timings per stage
);

CREATE TABLE documents (
    doc_id         VARCHAR PRIMARY KEY,
    source_uri     VARCHAR,
    site           VARCHAR,
    title          VARCHAR,
    published_at   TIMESTAMP,
    raw_text       VARCHAR,
    clean_text     VARCHAR,
    content_hash   VARCHAR,
    status         VARCHAR,          -- 'ok', 'duplicate' or 'rejected'
    status_reason  VARCHAR,
    duplicate_of   VARCHAR,
    story_id       VARCHAR,
    load_id        VARCHAR,
    author         VARCHAR,
    content_type   VARCHAR,          -- 'text' or 'html'
    file_path      VARCHAR,
    record_no      INTEGER,
    notes          JSON
);

CREATE TABLE removed_lines (
    doc_id   VARCHAR,
    line_no  INTEGER,                -- 1-based line of the raw text; NULL for HTML input
    text     VARCHAR,
    reason   VARCHAR,
    load_id  VARCHAR
);

CREATE TABLE duplicates (
    doc_id        VARCHAR PRIMARY KEY,
    duplicate_of  VARCHAR,
    method        VARCHAR,           -- 'exact' or 'near'
    similarity    DOUBLE,
    load_id       VARCHAR
);

CREATE TABLE story_records (
    story_id  VARCHAR PRIMARY KEY,
    label     VARCHAR,
    load_id   VARCHAR
);

CREATE VIEW stories AS
SELECT s.story_id,
       s.label,
       count(d.doc_id)       AS num_documents,
       min(d.published_at)   AS first_published,
       max(d.published_at)   AS last_published
FROM story_records s
LEFT JOIN documents d ON d.story_id = s.story_id AND d.status = 'ok'
GROUP BY s.story_id, s.label;

CREATE TABLE entities (
    entity_id  VARCHAR PRIMARY KEY,
    name       VARCHAR,              -- canonical (best-written) form
    label      VARCHAR,              -- spaCy label by vote over all mentions; PRODUCT for weapons
    load_id    VARCHAR
);

CREATE TABLE entity_aliases (
    entity_id  VARCHAR,
    alias      VARCHAR,
    load_id    VARCHAR,
    PRIMARY KEY (entity_id, alias)
);

CREATE TABLE mentions (
    doc_id      VARCHAR,
    entity_id   VARCHAR,
    text        VARCHAR,
    label       VARCHAR,
    start_char  INTEGER,
    end_char    INTEGER,
    load_id     VARCHAR
);

CREATE TABLE quotes (
    doc_id             VARCHAR,
    speaker_entity_id  VARCHAR,
    speaker            VARCHAR,
    quote              VARCHAR,
    start_char         INTEGER,
    end_char           INTEGER,
    load_id            VARCHAR
);

CREATE TABLE event_records (
    event_id        VARCHAR PRIMARY KEY,
    event_type      VARCHAR,
    event_date      DATE,
    date_precision  VARCHAR,         -- 'day', 'month' or 'year'
    location        VARCHAR,
    confidence      DOUBLE,
    load_id         VARCHAR
);

CREATE TABLE event_arguments (
    event_id   VARCHAR,
    role       VARCHAR,              -- 'actor', 'target', 'object', 'location', ...
    entity_id  VARCHAR,
    name       VARCHAR,
    load_id    VARCHAR
);

CREATE TABLE event_mentions (
    event_id    VARCHAR,
    doc_id      VARCHAR,
    sentence    VARCHAR,
    start_char  INTEGER,
    end_char    INTEGER,
    confidence  DOUBLE,
    load_id     VARCHAR
);

CREATE VIEW events AS
SELECT r.event_id,
       r.event_type,
       r.event_date,
       r.date_precision,
       r.location,
       count(m.doc_id)                         AS num_mentions,
       count(DISTINCT m.doc_id)                AS num_documents,
       count(DISTINCT coalesce(d.site, d.source_uri)) AS num_sources,
       r.confidence
FROM event_records r
LEFT JOIN event_mentions m ON m.event_id = r.event_id
LEFT JOIN documents d ON d.doc_id = m.doc_id
GROUP BY ALL;

-- Inbox bookkeeping: files already read (path, size, mtime and content hash) are skipped
-- before any parsing.
CREATE TABLE ingested_files (
    file_path   VARCHAR PRIMARY KEY,
    size        BIGINT,
    mtime       DOUBLE,
    file_hash   VARCHAR,
    load_id     VARCHAR
);
