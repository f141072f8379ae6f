-- Run inside every load's transaction, after its rows are in: derived values that a later
-- document can change in rows of earlier loads.

-- A new document can join stories or move documents between them (tasks/stories re-clusters
-- the components it touches): documents follow story_assignments, which is always current.
UPDATE documents
SET story_id = a.story_id
FROM story_assignments a
WHERE documents.doc_id = a.doc_id
  AND documents.story_id IS DISTINCT FROM a.story_id;
