-- People choose each kind of email on its own: a reminder a week before
-- assigned learning is due, a note when it is overdue, and an invitation
-- to take the assessment again. The one choice there was covered the
-- first two.

-- +goose Up
ALTER TABLE people RENAME COLUMN learning_emails TO due_soon_emails;
ALTER TABLE people ADD COLUMN overdue_emails BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE people ADD COLUMN reassess_emails BOOLEAN NOT NULL DEFAULT true;
UPDATE people SET overdue_emails = due_soon_emails;

-- +goose Down
ALTER TABLE people DROP COLUMN reassess_emails;
ALTER TABLE people DROP COLUMN overdue_emails;
ALTER TABLE people RENAME COLUMN due_soon_emails TO learning_emails;
