-- One row per event: when, what, who, where, and how widely it was reported. Events an analyst
-- can trust: confidence at least 0.5 (calibrated: right 80% of the time or more on the PLOVER
-- dev sentences); the events table holds all of them.
CREATE OR REPLACE VIEW event_timeline AS
SELECT e.event_date,
       e.date_precision,
       e.event_type,
       (SELECT string_agg(DISTINCT a.name, '; ' ORDER BY a.name) FROM event_arguments a
         WHERE a.event_id = e.event_id AND a.role = 'actor')  AS actors,
       (SELECT string_agg(DISTINCT a.name, '; ' ORDER BY a.name) FROM event_arguments a
         WHERE a.event_id = e.event_id AND a.role = 'target') AS targets,
       e.location,
       e.num_mentions,
       e.num_documents,
       e.num_sources,
       (SELECT string_agg(DISTINCT coalesce(d.site, d.source_uri), '; ') FROM event_mentions m
          JOIN documents d USING (doc_id) WHERE m.event_id = e.event_id) AS sources,
       e.confidence,
       e.event_id,
       e.date_source
FROM events e
WHERE e.confidence >= 0.5;
