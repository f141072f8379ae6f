-- Story clustering asks the warehouse for what a batch needs instead of reading every story
-- feature (tasks/stories; queries in warehouse/stories.py). Additive: new tables; the rows of
-- story_features (0003) are carried over once, each old story a group that starts as one cluster.

-- What story clustering keeps of a document, written once (tasks.stories.StoryFeatures as JSON).
CREATE TABLE story_doc_features (
    doc_id        VARCHAR PRIMARY KEY,
    seq           BIGINT,            -- arrival number
    day           INTEGER,           -- publication day (proleptic ordinal, 1 = 0001-01-01), NULL if unknown
    legacy_group  VARCHAR,           -- story of a warehouse clustered before this migration
    features      VARCHAR,           -- JSON
    error         VARCHAR,           -- why the features are empty (one bad document gets a story of its own)
    load_id       VARCHAR
);

-- Index keys of a document ("n:" entity name, "t:" one of its heaviest terms) with its day:
-- candidates of a new document share a key with it within the date window. dated_key is the key
-- with its 32-day period (key@period, key@u undated): a dated lookup reads only its window.
CREATE TABLE story_keys (
    key        VARCHAR,
    dated_key  VARCHAR,
    doc_id     VARCHAR,
    day        INTEGER,
    load_id    VARCHAR
);

-- Pair probabilities (same story) at or above StoryConfig.min_pair_score, written when the later
-- document of the pair arrived.
CREATE TABLE story_links (
    doc_id    VARCHAR,
    other_id  VARCHAR,
    score     DOUBLE,
    load_id   VARCHAR
);

-- Current component (documents joined by strong pairs) and story of each clustered document;
-- re-written for the members of a component a new document touches (those within
-- StoryConfig.recluster_days of it, and the undated). day as in story_doc_features.
CREATE TABLE story_assignments (
    doc_id        VARCHAR PRIMARY KEY,
    component_id  VARCHAR,
    story_id      VARCHAR,
    day           INTEGER,
    load_id       VARCHAR
);

INSERT INTO story_doc_features
SELECT f.doc_id, f.seq,
       CAST(date_diff('day', DATE '0001-01-01', CAST(f.published_at AS DATE)) + 1 AS INTEGER),
       f.story_id,
       json_object('terms', json(f.terms), 'names', json(f.entities), 'who', json(f.entities),
                   'quotes', json(f.quotes), 'years', json(f.years),
                   'day', date_diff('day', DATE '0001-01-01', CAST(f.published_at AS DATE)) + 1,
                   'headline', coalesce(d.title, ''), 'titled', d.title IS NOT NULL)::VARCHAR,
       NULL, f.load_id
FROM story_features f LEFT JOIN documents d USING (doc_id);

INSERT INTO story_assignments
SELECT doc_id, story_id, story_id,
       CAST(date_diff('day', DATE '0001-01-01', CAST(published_at AS DATE)) + 1 AS INTEGER), load_id
FROM story_features;

INSERT INTO story_keys (key, doc_id, day, load_id)
SELECT 'n:' || unnest(from_json(entities, '["VARCHAR"]')), doc_id,
       CAST(date_diff('day', DATE '0001-01-01', CAST(published_at AS DATE)) + 1 AS INTEGER), load_id
FROM story_features;

INSERT INTO story_keys (key, doc_id, day, load_id)
SELECT 't:' || term, doc_id, day, load_id FROM (
    SELECT doc_id, day, load_id, e.key AS term,
           row_number() OVER (PARTITION BY doc_id ORDER BY e.value DESC, e.key) AS rank
    FROM (SELECT doc_id, load_id,
                 CAST(date_diff('day', DATE '0001-01-01', CAST(published_at AS DATE)) + 1 AS INTEGER) AS day,
                 unnest(map_entries(json_transform(terms, '"MAP(VARCHAR, DOUBLE)"'))) AS e
          FROM story_features)
) WHERE rank <= 10;

UPDATE story_keys SET dated_key = key || '@' || coalesce(CAST(day // 32 AS VARCHAR), 'u');

-- Lookups by key, by document and by component read a few rows, not the table.
CREATE INDEX story_keys_key ON story_keys (key);
CREATE INDEX story_keys_dated ON story_keys (dated_key);
CREATE INDEX story_links_doc ON story_links (doc_id);
CREATE INDEX story_assignments_component ON story_assignments (component_id);
