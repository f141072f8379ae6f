-- Stories absorbed into another (tasks/dedup single-link merges) are no longer stories: the
-- view lists only live ones. documents.story_id is kept current by warehouse/post_load.sql.
CREATE OR REPLACE VIEW stories AS
SELECT s.story_id,
       s.label,
       count(d.doc_id)       AS num_documents,
       min(d.published_at)   AS first_published,
       max(d.published_at)   AS last_published
FROM story_records s
LEFT JOIN documents d ON d.story_id = s.story_id AND d.status = 'ok'
WHERE s.story_id NOT IN (SELECT story_id FROM story_merges)
GROUP BY s.story_id, s.label;
