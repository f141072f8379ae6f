-- State of the dedup and story stages (tasks/dedup). Additive only: new tables, never altered.
-- Rows are written by tasks.dedup.deduplicate_batch / cluster_stories_batch and read back by
-- tasks.dedup.STATE_QUERIES at the start of the next run.

-- Exact-dedup keys of ok documents: sha1 of the normalised cleaned body -> first document.
CREATE TABLE dedup_keys (
    content_hash  VARCHAR PRIMARY KEY,
    doc_id        VARCHAR,
    load_id       VARCHAR
);

-- LSH buckets of ok documents: one row per (band, document); bucket is a 63-bit hash of the band.
CREATE TABLE minhash_bands (
    band     INTEGER,
    bucket   BIGINT,
    doc_id   VARCHAR,
    load_id  VARCHAR
);

-- Sorted unique 32-bit shingle hashes (little-endian uint32 array) of ok documents, to verify
-- LSH candidates by their real Jaccard similarity.
CREATE TABLE minhash_shingles (
    doc_id    VARCHAR PRIMARY KEY,
    shingles  BLOB,
    load_id   VARCHAR
);

-- What story clustering keeps of each clustered document. Re-written (upsert) when the
-- document's story is merged into another; seq is the arrival number (stable output order).
CREATE TABLE story_features (
    doc_id        VARCHAR PRIMARY KEY,
    story_id      VARCHAR,
    seq           BIGINT,
    terms         VARCHAR,           -- JSON {term: weight}, unit length
    entities      VARCHAR,           -- JSON [name]
    quotes        VARCHAR,           -- JSON [hash of a normalised direct quote]
    years         VARCHAR,           -- JSON [year mentioned]
    published_at  TIMESTAMP,
    load_id       VARCHAR
);

-- A story absorbed into another because a new document linked both (single-link merge).
-- documents.story_id of earlier loads may still name the absorbed story: resolve through here
-- (or through story_features.story_id, which is always current).
CREATE TABLE story_merges (
    story_id     VARCHAR PRIMARY KEY,
    merged_into  VARCHAR,
    load_id      VARCHAR
);
