-- Run inside every load's transaction, after its rows are in: derived values that a later
-- document can change in rows of earlier loads. getvariable('newsdag_load_id') is this load's id:
-- only what this load wrote is read, so the cost does not grow with the warehouse.

-- A new document can join two stories into one (single-link): earlier documents follow it.
UPDATE documents
SET story_id = f.story_id
FROM story_features f
WHERE documents.doc_id = f.doc_id
  AND f.load_id = getvariable('newsdag_load_id')  -- a moved document's features row is re-written
  AND documents.story_id IS DISTINCT FROM f.story_id;

-- Label votes of entities (entity_label_votes): this load's mentions added to the counts.
INSERT OR REPLACE INTO entity_label_votes
SELECT m.entity_id, m.label, count(*) + coalesce(any_value(v.num_mentions), 0), getvariable('newsdag_load_id')
FROM mentions m
LEFT JOIN entity_label_votes v ON v.entity_id = m.entity_id AND v.label = m.label
WHERE m.load_id = getvariable('newsdag_load_id') AND m.entity_id IS NOT NULL AND m.label IS NOT NULL
GROUP BY m.entity_id, m.label;
