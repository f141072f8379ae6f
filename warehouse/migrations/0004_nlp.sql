-- NLP stage state: what event merging needs beyond the public tables (the actor set, targets
-- and the partial date of an event: "a Tuesday, 29 December" without a year). Upserted by
-- event_id; read back through tasks.nlp.STATE_QUERIES["event_keys"].
CREATE TABLE nlp_event_keys (
    event_id    VARCHAR PRIMARY KEY,
    event_type  VARCHAR,
    actor_ids   VARCHAR,             -- sorted entity ids, comma-separated
    target_ids  VARCHAR,
    year        INTEGER,
    month       INTEGER,
    day         INTEGER,
    weekday     INTEGER,             -- 0 = Monday
    location    VARCHAR,
    confidence  DOUBLE,
    load_id     VARCHAR
);
