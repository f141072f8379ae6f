-- Run inside every load's transaction, after its rows are in: derived values that a later
-- document can change in rows of earlier loads. getvariable('newsdag_load_id') is this load's id:
-- only what this load wrote is read, so the cost does not grow with the warehouse.

-- A new document can join stories or move documents between them (tasks/stories re-clusters
-- the components it touches): documents follow story_assignments, which is always current.
UPDATE documents
SET story_id = a.story_id
FROM story_assignments a
WHERE documents.doc_id = a.doc_id
  AND a.load_id = getvariable('newsdag_load_id')  -- a moved document's assignment is re-written
  AND documents.story_id IS DISTINCT FROM a.story_id;

-- Label votes of entities (entity_label_votes, append-only): this load's mentions counted.
INSERT INTO entity_label_votes
SELECT entity_id, label, count(*), getvariable('newsdag_load_id')
FROM mentions
WHERE load_id = getvariable('newsdag_load_id') AND entity_id IS NOT NULL AND label IS NOT NULL
GROUP BY entity_id, label;
