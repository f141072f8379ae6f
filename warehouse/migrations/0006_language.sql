-- The language of a document's body (ISO 639-1), detected before NLP; NULL when the text is too
-- short to tell or the document was not parsed (rejected, duplicate).
ALTER TABLE documents ADD COLUMN language VARCHAR;
