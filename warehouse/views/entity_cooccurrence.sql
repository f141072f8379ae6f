-- Pairs of entities named in the same (ok) document, with how many documents name both.
CREATE OR REPLACE VIEW entity_cooccurrence AS
WITH doc_entities AS (
    SELECT DISTINCT m.doc_id, m.entity_id
    FROM mentions m JOIN documents d USING (doc_id)
    WHERE d.status = 'ok' AND m.entity_id IS NOT NULL
)
SELECT a.entity_id AS entity_id_1, e1.name AS name_1, e1.label AS label_1,
       b.entity_id AS entity_id_2, e2.name AS name_2, e2.label AS label_2,
       count(*) AS num_documents
FROM doc_entities a
JOIN doc_entities b ON a.doc_id = b.doc_id AND a.entity_id < b.entity_id
JOIN entities e1 ON e1.entity_id = a.entity_id
JOIN entities e2 ON e2.entity_id = b.entity_id
GROUP BY ALL;
