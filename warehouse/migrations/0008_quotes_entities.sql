-- Quotes and entities (issue 13), additive:
--   quotes.confidence      how likely the speaker is right (per attribution path, measured on
--                          PolNeAR train); NULL when the quote has no speaker
--   mentions.field         which field start_char/end_char point into: 'clean_text' (the body)
--                          or 'title'; NULL on rows loaded before this column (= clean_text)
--   entities.country_code  ISO-3166 alpha-3 code of a country entity (Britain, UK, United
--                          Kingdom -> one entity, GBR); NULL for anything else
ALTER TABLE quotes ADD COLUMN confidence DOUBLE;
ALTER TABLE mentions ADD COLUMN field VARCHAR;
ALTER TABLE entities ADD COLUMN country_code VARCHAR;
