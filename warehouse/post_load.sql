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

-- Label votes of entities (entity_label_votes, append-only): this load's mentions counted.
INSERT INTO entity_label_votes
SELECT entity_id, label, count(*), getvariable('newsdag_load_id')
FROM mentions
WHERE load_id = getvariable('newsdag_load_id') AND entity_id IS NOT NULL AND label IS NOT NULL
GROUP BY entity_id, label;
