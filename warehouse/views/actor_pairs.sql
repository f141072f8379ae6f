-- Dyads as event-data users know them (GDELT, POLECAT): actor -> target per event type, with
-- counts and first/last dates. Events with several actors and no target (talks, agreements)
-- give one undirected pair per two actors, listed in name order. Events at confidence >= 0.5 only.
CREATE OR REPLACE VIEW actor_pairs AS
WITH args AS (
    SELECT event_id, role, coalesce(entity_id, name) AS id, name FROM event_arguments
),
directed AS (
    SELECT a.event_id, a.id AS actor_id, a.name AS actor, t.id AS target_id, t.name AS target, TRUE AS directed
    FROM args a JOIN args t ON t.event_id = a.event_id AND a.role = 'actor' AND t.role = 'target' AND a.id <> t.id
),
undirected AS (
    SELECT a.event_id, a.id, a.name, b.id, b.name, FALSE
    FROM args a JOIN args b ON b.event_id = a.event_id AND a.role = 'actor' AND b.role = 'actor' AND a.name < b.name
    WHERE NOT EXISTS (SELECT 1 FROM args t WHERE t.event_id = a.event_id AND t.role = 'target')
),
pairs AS (SELECT * FROM directed UNION ALL SELECT * FROM undirected)
SELECT p.actor, p.target, e.event_type,
       count(DISTINCT p.event_id)  AS num_events,
       sum(e.num_mentions)         AS num_mentions,
       min(e.event_date)           AS first_date,
       max(e.event_date)           AS last_date,
       bool_or(p.directed)         AS directed,
       p.actor_id, p.target_id
FROM pairs p JOIN events e USING (event_id)
WHERE e.confidence >= 0.5
GROUP BY p.actor, p.target, e.event_type, p.actor_id, p.target_id;
