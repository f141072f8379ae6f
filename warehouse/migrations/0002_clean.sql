-- Cleaning state (tasks/clean/state.py): how many documents of each site hold each line, so a
-- line that is a site template (menus, promos, footers) is recognised once the site has a few
-- documents. Keys are line_key(): a hash of the normalised line with digits folded.

CREATE TABLE site_lines (
    site      VARCHAR,
    line_key  VARCHAR,
    num_docs  BIGINT,
    PRIMARY KEY (site, line_key)
);

CREATE TABLE site_docs (
    site      VARCHAR PRIMARY KEY,
    num_docs  BIGINT
);
