-- Badges for reaching the target in a domain of the assessment, besides
-- badges for completed learning; and each badge's place in a W3C
-- Bitstring Status List, which says whether it has been revoked.
--
-- A badge is for a completion (enrolment_id) or for a domain of a
-- submitted attempt (attempt_id and domain_code), never both. title is
-- what it was awarded for, as it was named then. status_list and
-- status_index are empty for badges issued before status lists, which
-- name the older revocation list instead. SQLite cannot drop a NOT NULL,
-- so the table is made again.

-- +goose Up
CREATE TABLE badges_new (
    id                TEXT PRIMARY KEY,
    enrolment_id      INTEGER UNIQUE REFERENCES enrolments (id),
    attempt_id        INTEGER REFERENCES attempts (id),
    domain_code       TEXT NOT NULL DEFAULT '',
    person_id         INTEGER NOT NULL REFERENCES people (id),
    organisation_id   INTEGER REFERENCES organisations (id),
    title             TEXT NOT NULL DEFAULT '',
    token             TEXT NOT NULL,
    status_list       INTEGER,
    status_index      INTEGER,
    issued_at         DATETIME NOT NULL,
    revoked_at        DATETIME,
    revoked_by        INTEGER REFERENCES people (id),
    revocation_reason TEXT NOT NULL DEFAULT '',
    CHECK ((enrolment_id IS NULL) <> (attempt_id IS NULL)),
    UNIQUE (attempt_id, domain_code),
    UNIQUE (status_list, status_index)
);
INSERT INTO badges_new (id, enrolment_id, person_id, organisation_id, title, token, issued_at, revoked_at, revoked_by, revocation_reason)
    SELECT b.id, b.enrolment_id, b.person_id, b.organisation_id, v.title, b.token, b.issued_at, b.revoked_at, b.revoked_by, b.revocation_reason
    FROM badges b JOIN enrolments e ON e.id = b.enrolment_id JOIN content_versions v ON v.id = e.version_id;
DROP TABLE badges;
ALTER TABLE badges_new RENAME TO badges;
CREATE INDEX badges_person ON badges (person_id);
CREATE INDEX badges_organisation ON badges (organisation_id, issued_at);
CREATE INDEX badges_revoked ON badges (revoked_at) WHERE revoked_at IS NOT NULL;

-- +goose Down
DELETE FROM badges WHERE enrolment_id IS NULL;
CREATE TABLE badges_old (
    id                TEXT PRIMARY KEY,
    enrolment_id      INTEGER NOT NULL UNIQUE REFERENCES enrolments (id),
    person_id         INTEGER NOT NULL REFERENCES people (id),
    organisation_id   INTEGER REFERENCES organisations (id),
    token             TEXT NOT NULL,
    issued_at         DATETIME NOT NULL,
    revoked_at        DATETIME,
    revoked_by        INTEGER REFERENCES people (id),
    revocation_reason TEXT NOT NULL DEFAULT ''
);
INSERT INTO badges_old SELECT id, enrolment_id, person_id, organisation_id, token, issued_at, revoked_at, revoked_by, revocation_reason FROM badges;
DROP TABLE badges;
ALTER TABLE badges_old RENAME TO badges;
CREATE INDEX badges_person ON badges (person_id);
CREATE INDEX badges_organisation ON badges (organisation_id, issued_at);
CREATE INDEX badges_revoked ON badges (revoked_at) WHERE revoked_at IS NOT NULL;
