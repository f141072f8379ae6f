-- Run inside every load's transaction, after its rows are in: derived values that a later
-- document can change in rows of earlier loads.

-- A new document can join two stories into one (single-link): earlier documents follow it.
UPDATE documents
SET story_id = f.story_id
FROM story_features f
WHERE documents.doc_id = f.doc_id
  AND documents.story_id IS DISTINCT FROM f.story_id;
