-- Who is quoted, how often, in how many documents, with one example.
CREATE OR REPLACE VIEW quotes_by_speaker AS
SELECT q.speaker_entity_id, q.speaker,
       count(*)                  AS num_quotes,
       count(DISTINCT q.doc_id)  AS num_documents,
       min(d.published_at)       AS first_published,
       max(d.published_at)       AS last_published,
       arg_max(q.quote, length(q.quote)) AS longest_quote
FROM quotes q JOIN documents d USING (doc_id)
GROUP BY q.speaker_entity_id, q.speaker;
