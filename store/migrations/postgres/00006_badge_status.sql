-- Badges for reaching the target in a domain of the assessment, besides
-- badges for completed learning; and each badge's place in a W3C
-- Bitstring Status List, which says whether it has been revoked.
--
-- A badge is for a completion (enrolment_id) or for a domain of a
-- submitted attempt (attempt_id and domain_code), never both. title is
-- what it was awarded for, as it was named then. status_list and
-- status_index are empty for badges issued before status lists, which
-- name the older revocation list instead.

-- +goose Up
ALTER TABLE badges ALTER COLUMN enrolment_id DROP NOT NULL;
ALTER TABLE badges ADD COLUMN attempt_id BIGINT REFERENCES attempts (id);
ALTER TABLE badges ADD COLUMN domain_code TEXT NOT NULL DEFAULT '';
ALTER TABLE badges ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE badges ADD COLUMN status_list INTEGER;
ALTER TABLE badges ADD COLUMN status_index INTEGER;
ALTER TABLE badges ADD CONSTRAINT badges_one_subject CHECK ((enrolment_id IS NULL) <> (attempt_id IS NULL));
ALTER TABLE badges ADD CONSTRAINT badges_attempt_domain UNIQUE (attempt_id, domain_code);
ALTER TABLE badges ADD CONSTRAINT badges_status UNIQUE (status_list, status_index);
UPDATE badges b SET title = v.title FROM enrolments e JOIN content_versions v ON v.id = e.version_id WHERE e.id = b.enrolment_id;

-- +goose Down
DELETE FROM badges WHERE enrolment_id IS NULL;
ALTER TABLE badges DROP CONSTRAINT badges_status;
ALTER TABLE badges DROP CONSTRAINT badges_attempt_domain;
ALTER TABLE badges DROP CONSTRAINT badges_one_subject;
ALTER TABLE badges DROP COLUMN status_index;
ALTER TABLE badges DROP COLUMN status_list;
ALTER TABLE badges DROP COLUMN title;
ALTER TABLE badges DROP COLUMN domain_code;
ALTER TABLE badges DROP COLUMN attempt_id;
ALTER TABLE badges ALTER COLUMN enrolment_id SET NOT NULL;
