-- The catalogue's search made cheap for words most learning has, and what
-- the catalogue and recommendations read kept small.

-- +goose Up
-- A version's pages, as JSON, and their plain text: a search or a ranking
-- reads thousands of versions' rows and none of their pages.
CREATE TABLE content_bodies (
    version_id  BIGINT PRIMARY KEY REFERENCES content_versions (id),
    pages       TEXT NOT NULL DEFAULT '[]',
    search_text TEXT NOT NULL DEFAULT ''
);
INSERT INTO content_bodies (version_id, pages, search_text) SELECT id, pages, search_text FROM content_versions;

-- words is every word of a version, stemmed and without positions, which
-- the store keeps up to date: small enough to stay in the row, so that
-- matching a word most of the catalogue has does not unpack a large value
-- for every row. head, the title and summary weighted, ranks what matched.
ALTER TABLE content_versions DROP COLUMN search;
ALTER TABLE content_versions ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector;
UPDATE content_versions SET words = strip(to_tsvector('english', title || E'\n' || summary || E'\n' || search_text));
ALTER TABLE content_versions DROP COLUMN pages;
ALTER TABLE content_versions DROP COLUMN search_text;
ALTER TABLE content_versions ADD COLUMN head tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B')) STORED;
CREATE INDEX content_versions_words ON content_versions USING gin (words) WHERE status = 'published';

-- The mappings of the statements a person has gaps in, from the index
-- alone.
CREATE INDEX content_mappings_gap ON content_mappings (framework_id, capability_code, version_id, level, domain_code);
DROP INDEX content_mappings_capability;

-- How many people of each organisation have completed each piece of
-- learning, counted as they complete it; people counts each person once
-- however often they renew it.
CREATE TABLE learning_completions (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    item_id         BIGINT NOT NULL REFERENCES content_items (id),
    people          INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, item_id)
);
INSERT INTO learning_completions (organisation_id, item_id, people)
    SELECT organisation_id, item_id, count(DISTINCT person_id) FROM enrolments
    WHERE status = 'completed' AND organisation_id IS NOT NULL GROUP BY organisation_id, item_id;

-- A number that publishing learning, or changing whom it is shared with,
-- raises in the same transaction: each instance keeps the published
-- learning in memory for recommendations and reads it again when this
-- has moved on.
CREATE TABLE catalogue_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO catalogue_state (id, generation) VALUES (1, 0);

-- +goose Down
DROP TABLE catalogue_state;
DROP TABLE learning_completions;
CREATE INDEX content_mappings_capability ON content_mappings (framework_id, capability_code);
DROP INDEX content_mappings_gap;
DROP INDEX content_versions_words;
ALTER TABLE content_versions DROP COLUMN head;
ALTER TABLE content_versions DROP COLUMN words;
ALTER TABLE content_versions ADD COLUMN pages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE content_versions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE content_versions v SET pages = b.pages, search_text = b.search_text FROM content_bodies b WHERE b.version_id = v.id;
DROP TABLE content_bodies;
ALTER TABLE content_versions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', search_text), 'C')) STORED;
CREATE INDEX content_versions_search ON content_versions USING gin (search) WHERE status = 'published';
