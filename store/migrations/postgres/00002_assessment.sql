-- Frameworks as data, attempts at the assessment with their answers and
-- scores, role targets, and supervisors' reviews.

-- +goose Up
CREATE TABLE frameworks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

-- A published version never changes. levels and bands are short JSON
-- lists read with the version and never queried on their own.
CREATE TABLE framework_versions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    framework_id BIGINT NOT NULL REFERENCES frameworks (id),
    number       INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    identifier   TEXT NOT NULL,
    levels       TEXT NOT NULL,
    bands        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    retired_at   TIMESTAMPTZ,
    UNIQUE (framework_id, number)
);
CREATE UNIQUE INDEX framework_versions_one_published ON framework_versions (framework_id) WHERE status = 'published';

CREATE TABLE domains (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id  BIGINT NOT NULL REFERENCES framework_versions (id),
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    identifier  TEXT NOT NULL,
    UNIQUE (version_id, code)
);

-- descriptors is a JSON list with one entry for each of the version's levels.
CREATE TABLE capabilities (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id    BIGINT NOT NULL REFERENCES framework_versions (id),
    domain_id     BIGINT NOT NULL REFERENCES domains (id),
    position      INTEGER NOT NULL,
    code          TEXT NOT NULL,
    statement     TEXT NOT NULL,
    guidance      TEXT NOT NULL DEFAULT '',
    question_type TEXT NOT NULL CHECK (question_type IN ('scale', 'levels', 'yesno')),
    descriptors   TEXT NOT NULL,
    identifier    TEXT NOT NULL,
    UNIQUE (version_id, code)
);

CREATE TABLE check_questions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id    BIGINT NOT NULL REFERENCES framework_versions (id),
    domain_id     BIGINT NOT NULL REFERENCES domains (id),
    capability_id BIGINT REFERENCES capabilities (id),
    position      INTEGER NOT NULL,
    code          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('single', 'multiple')),
    prompt        TEXT NOT NULL,
    explanation   TEXT NOT NULL,
    identifier    TEXT NOT NULL,
    UNIQUE (version_id, code)
);

CREATE TABLE check_options (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES check_questions (id),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    correct     BOOLEAN NOT NULL
);
CREATE INDEX check_options_question ON check_options (question_id, position);

-- An attempt keeps the staff details of the person when it was submitted,
-- so that reports by group stay true after people move.
CREATE TABLE attempts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people (id),
    organisation_id BIGINT REFERENCES organisations (id),
    framework_id    BIGINT NOT NULL REFERENCES frameworks (id),
    version_id      BIGINT NOT NULL REFERENCES framework_versions (id),
    status          TEXT NOT NULL CHECK (status IN ('in_progress', 'submitted')),
    started_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    submitted_at    TIMESTAMPTZ,
    staff_group     TEXT NOT NULL DEFAULT '',
    job_role        TEXT NOT NULL DEFAULT '',
    pay_band        TEXT NOT NULL DEFAULT '',
    unit_id         BIGINT REFERENCES units (id)
);
CREATE UNIQUE INDEX attempts_one_open ON attempts (person_id, framework_id) WHERE status = 'in_progress';
CREATE INDEX attempts_person ON attempts (person_id, framework_id, submitted_at);
CREATE INDEX attempts_organisation ON attempts (organisation_id, submitted_at);

-- Ratings as the capability's question type takes them.
CREATE TABLE answers (
    attempt_id    BIGINT NOT NULL REFERENCES attempts (id),
    capability_id BIGINT NOT NULL REFERENCES capabilities (id),
    now_rating    INTEGER NOT NULL,
    needed_rating INTEGER NOT NULL,
    answered_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, capability_id)
);

-- selected holds the chosen option ids, sorted and comma-separated.
CREATE TABLE check_answers (
    attempt_id  BIGINT NOT NULL REFERENCES attempts (id),
    question_id BIGINT NOT NULL REFERENCES check_questions (id),
    selected    TEXT NOT NULL,
    correct     BOOLEAN NOT NULL,
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

-- The report of each domain, written when an attempt is submitted.
CREATE TABLE attempt_scores (
    attempt_id      BIGINT NOT NULL REFERENCES attempts (id),
    domain_code     TEXT NOT NULL,
    now_mean        DOUBLE PRECISION NOT NULL,
    needed_mean     DOUBLE PRECISION NOT NULL,
    gap_mean        DOUBLE PRECISION NOT NULL,
    band            TEXT NOT NULL,
    answered        INTEGER NOT NULL,
    checks_correct  INTEGER NOT NULL,
    checks_answered INTEGER NOT NULL,
    calibration     TEXT NOT NULL,
    PRIMARY KEY (attempt_id, domain_code)
);

-- What a role needs: per capability code, on the 0 to 10 scale. A profile
-- with no organisation is the national default.
CREATE TABLE target_profiles (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    framework_id    BIGINT NOT NULL REFERENCES frameworks (id),
    organisation_id BIGINT REFERENCES organisations (id),
    staff_group     TEXT NOT NULL DEFAULT '',
    job_role        TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX target_profiles_unique ON target_profiles (framework_id, coalesce(organisation_id, 0), staff_group, lower(job_role));

CREATE TABLE target_levels (
    profile_id      BIGINT NOT NULL REFERENCES target_profiles (id),
    capability_code TEXT NOT NULL,
    needed          INTEGER NOT NULL CHECK (needed BETWEEN 0 AND 10),
    PRIMARY KEY (profile_id, capability_code)
);

-- A learner asks their supervisor to review a submitted attempt.
CREATE TABLE attempt_reviews (
    attempt_id      BIGINT PRIMARY KEY REFERENCES attempts (id),
    supervisor_id   BIGINT NOT NULL REFERENCES people (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    status          TEXT NOT NULL CHECK (status IN ('requested', 'signed_off')),
    requested_at    TIMESTAMPTZ NOT NULL,
    signed_off_at   TIMESTAMPTZ,
    comment         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempt_reviews_supervisor ON attempt_reviews (supervisor_id, status);

CREATE TABLE rating_reviews (
    attempt_id    BIGINT NOT NULL REFERENCES attempts (id),
    capability_id BIGINT NOT NULL REFERENCES capabilities (id),
    reviewer_id   BIGINT NOT NULL REFERENCES people (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('confirmed', 'rejected')),
    comment       TEXT NOT NULL DEFAULT '',
    reviewed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, capability_id)
);

-- An invitation to take the assessment again when an organisation's
-- reassessment cycle comes round, counted from the person's latest
-- submitted attempt. The key stops two instances inviting twice.
CREATE TABLE reassessment_invitations (
    person_id       BIGINT NOT NULL REFERENCES people (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    attempt_id      BIGINT NOT NULL REFERENCES attempts (id),
    sent_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, organisation_id, attempt_id)
);

-- Personal API tokens: a program acting as the person who made the token.
-- Only a hash of the secret is kept.
CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- A framework file uploaded for import, kept between its preview and the
-- admin's choice to apply it, and removed after a day.
CREATE TABLE framework_uploads (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE framework_uploads;
DROP TABLE api_tokens;
DROP TABLE reassessment_invitations;
DROP TABLE rating_reviews;
DROP TABLE attempt_reviews;
DROP TABLE target_levels;
DROP TABLE target_profiles;
DROP TABLE attempt_scores;
DROP TABLE check_answers;
DROP TABLE answers;
DROP TABLE attempts;
DROP TABLE check_options;
DROP TABLE check_questions;
DROP TABLE capabilities;
DROP TABLE domains;
DROP TABLE framework_versions;
DROP TABLE frameworks;
