-- Full-text search index kept by each load (warehouse/fts.py): the load indexes its own new ok
-- documents, nothing is rebuilt. Replaces the fts extension's index, which was rebuilt over every
-- document at every load (its tables, fts_main_documents.*, are left as they are).
-- The first load after this migration indexes the documents of earlier loads.

-- One row per indexed document: a dense number (postings refer to it) and its length in terms.
CREATE TABLE search_docs (
    doc_no     INTEGER,
    doc_id     VARCHAR,
    num_terms  INTEGER,
    load_id    VARCHAR
);

-- One row per (term, document): how often the term occurs in the title and body.
CREATE TABLE search_postings (
    term     VARCHAR,
    doc_no   INTEGER,
    tf       INTEGER,
    load_id  VARCHAR
);
