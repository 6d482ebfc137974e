-- What recommendations read, kept small: the mappings of the statements a
-- person has gaps in, from the index alone, and how many people of each
-- organisation have completed each piece of learning, counted as they
-- complete it rather than on every page view.

-- +goose Up
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
DROP TABLE catalogue_state;
DROP TABLE learning_completions;
CREATE INDEX content_mappings_capability ON content_mappings (framework_id, capability_code);
DROP INDEX content_mappings_gap;
