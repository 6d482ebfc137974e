-- What the catalogue and recommendations read, kept small: a version's
-- pages apart from its row, the mappings of the statements a person has
-- gaps in from the index alone, and how many people of each organisation
-- have completed each piece of learning, counted as they complete it
-- rather than on every page view.

-- +goose Up
-- A version's pages, as JSON, and their plain text: a search or a ranking
-- reads thousands of versions' rows and none of their pages.
CREATE TABLE content_bodies (
    version_id  INTEGER PRIMARY KEY REFERENCES content_versions (id),
    pages       TEXT NOT NULL DEFAULT '[]',
    search_text TEXT NOT NULL DEFAULT ''
);
INSERT INTO content_bodies (version_id, pages, search_text) SELECT id, pages, search_text FROM content_versions;
ALTER TABLE content_versions DROP COLUMN pages;
ALTER TABLE content_versions DROP COLUMN search_text;

CREATE INDEX content_mappings_gap ON content_mappings (framework_id, capability_code, version_id, level, domain_code);
DROP INDEX content_mappings_capability;

-- people counts each person once however often they renew the learning.
CREATE TABLE learning_completions (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    item_id         INTEGER NOT NULL REFERENCES content_items (id),
    people          INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, item_id)
) WITHOUT ROWID;
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
ALTER TABLE content_versions ADD COLUMN pages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE content_versions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE content_versions SET pages = (SELECT b.pages FROM content_bodies b WHERE b.version_id = content_versions.id),
    search_text = (SELECT b.search_text FROM content_bodies b WHERE b.version_id = content_versions.id);
DROP TABLE content_bodies;
DROP TABLE catalogue_state;
DROP TABLE learning_completions;
CREATE INDEX content_mappings_capability ON content_mappings (framework_id, capability_code);
DROP INDEX content_mappings_gap;
