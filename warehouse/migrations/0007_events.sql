-- Events as PLOVER codes them (issue 12); every change adds.
-- An argument's country (ISO-3166 alpha-3) and sector (GOV, MIL, COP, REB, OPP, LEG, JUD, PTY,
-- CVL, REF, BUS, MED, EDU, JRN, REL, CRM, IGO, NGO). entity_id is NULL for an argument that
-- names no entity ("a human rights group").
ALTER TABLE event_arguments ADD COLUMN country VARCHAR;
ALTER TABLE event_arguments ADD COLUMN sector VARCHAR;
-- Where an event's date comes from: 'text' (a sentence says when), 'published' (no sentence
-- does: the publication date of the document that reported it) or 'document' (no publication
-- date either: the date the document's lead reports on).
ALTER TABLE event_records ADD COLUMN date_source VARCHAR;
-- The words of a mention that carry the event ("threatened ... shell").
ALTER TABLE event_mentions ADD COLUMN evidence VARCHAR;
-- Merge state: date source, the window of days the event may have happened on, its stories.
ALTER TABLE nlp_event_keys ADD COLUMN date_source VARCHAR;
ALTER TABLE nlp_event_keys ADD COLUMN date_lo DATE;
ALTER TABLE nlp_event_keys ADD COLUMN date_hi DATE;
ALTER TABLE nlp_event_keys ADD COLUMN story_ids VARCHAR;

CREATE OR REPLACE VIEW events AS
SELECT r.event_id,
       r.event_type,
       r.event_date,
       r.date_precision,
       r.location,
       count(m.doc_id)                         AS num_mentions,
       count(DISTINCT m.doc_id)                AS num_documents,
       count(DISTINCT coalesce(d.site, d.source_uri)) AS num_sources,
       r.confidence,
       r.date_source
FROM event_records r
LEFT JOIN event_mentions m ON m.event_id = r.event_id
LEFT JOIN documents d ON d.doc_id = m.doc_id
GROUP BY ALL;
