-- How often each entity was seen under each spelling of its name (tasks/nlp/link.py chooses the
-- canonical name among them: the longest, accented first, then the most frequent). Append-only:
-- the link step writes each load's own counts, a lookup sums them, so a run cut into loads (or
-- resumed after a kill) weighs the spellings as one run would. Built here from what earlier
-- loads kept: each entity's stored name, seen once (what a run started from before this table).
CREATE TABLE entity_name_forms (
    entity_id     VARCHAR,
    form          VARCHAR,
    num_mentions  BIGINT,
    load_id       VARCHAR
);

INSERT INTO entity_name_forms
SELECT entity_id, name, 1, NULL FROM entities;
