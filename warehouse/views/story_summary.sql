-- Stories with their size, outlets, dates and the entities they name most.
CREATE OR REPLACE VIEW story_summary AS
WITH top AS (
    SELECT d.story_id, e.name, count(*) AS n,
           row_number() OVER (PARTITION BY d.story_id ORDER BY count(*) DESC, e.name) AS rank
    FROM mentions m JOIN documents d USING (doc_id) JOIN entities e USING (entity_id)
    WHERE d.status = 'ok' AND d.story_id IS NOT NULL
    GROUP BY d.story_id, e.name
)
SELECT s.story_id, s.label, s.num_documents,
       (SELECT count(DISTINCT coalesce(d.site, d.source_uri)) FROM documents d
         WHERE d.story_id = s.story_id AND d.status = 'ok') AS num_sources,
       (SELECT string_agg(DISTINCT d.site, '; ') FROM documents d WHERE d.story_id = s.story_id AND d.status = 'ok') AS sites,
       s.first_published, s.last_published,
       (SELECT string_agg(t.name, '; ' ORDER BY t.rank) FROM top t WHERE t.story_id = s.story_id AND t.rank <= 5) AS top_entities
FROM stories s;
