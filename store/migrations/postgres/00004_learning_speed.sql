-- The catalogue's search made cheap for words most learning has, and what
-- recommendations read kept small.
--
-- words is every word of a version, stemmed and without positions: small
-- enough to stay in the row, so matching a word that most of the
-- catalogue has does not unpack a large value for every row. head, the
-- title and summary weighted, ranks what matched.

-- +goose Up
ALTER TABLE content_versions DROP COLUMN search;
ALTER TABLE content_versions ADD COLUMN words tsvector GENERATED ALWAYS AS (
    strip(to_tsvector('english', title || ' ' || summary || ' ' || search_text))) STORED;
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
ALTER TABLE content_versions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', search_text), 'C')) STORED;
CREATE INDEX content_versions_search ON content_versions USING gin (search) WHERE status = 'published';
