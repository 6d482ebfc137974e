-- Supervisors assign learning to the people they line manage: an
-- assignment may be for everyone a line manager manages, now and as they
-- join the team.

-- +goose Up
ALTER TABLE assignments ADD COLUMN line_manager_id INTEGER REFERENCES people (id);
CREATE INDEX assignments_created_by ON assignments (organisation_id, created_by) WHERE ended_at IS NULL;

-- +goose Down
DROP INDEX assignments_created_by;
ALTER TABLE assignments DROP COLUMN line_manager_id;
