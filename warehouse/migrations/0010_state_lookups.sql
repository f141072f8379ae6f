-- State asked for per batch (warehouse/state.py) instead of read whole at the start of a run:
-- two small tables that answer by key what a whole-table read used to compute.

-- Mentions per entity and label: the label votes an entity starts a run with (tasks/nlp/link.py
-- votes over all its mentions). Append-only: every load adds its own mentions' counts
-- (post_load.sql), a lookup sums them (an upsert would rewrite rows all over a large table);
-- built here once from the mentions of earlier loads.
CREATE TABLE entity_label_votes (
    entity_id     VARCHAR,
    label         VARCHAR,
    num_mentions  BIGINT,
    load_id       VARCHAR
);

INSERT INTO entity_label_votes
SELECT entity_id, label, count(*), NULL FROM mentions
WHERE entity_id IS NOT NULL AND label IS NOT NULL
GROUP BY entity_id, label;

-- How a lone surname finds a known person: the last word of the folded name of a PERSON of two
-- words or more (tasks.nlp.link.person_key), NULL for any other entity. Written by the link
-- step with every entities row; built here once with the same folding in SQL (case, accents,
-- quote and dash forms).
CREATE TABLE entity_person_keys (
    entity_id   VARCHAR PRIMARY KEY,
    last_token  VARCHAR,
    load_id     VARCHAR
);

INSERT INTO entity_person_keys
SELECT entity_id,
       CASE WHEN label = 'PERSON' AND len(words) >= 2 THEN words[-1] END,
       load_id
FROM (SELECT entity_id, label, load_id,
             regexp_split_to_array(trim(lower(strip_accents(translate(name, '’‘“”—– ı', '''''""-- i')))), '\s+') AS words
      FROM entities);
