-- The platform: the hierarchy of organisations, people and their
-- memberships, sign-in state and the audit log.

-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One nation at the top, regions below it, organisations below the regions.
CREATE TABLE organisations (
    id              INTEGER PRIMARY KEY,
    parent_id       INTEGER REFERENCES organisations (id),
    level           TEXT NOT NULL CHECK (level IN ('nation', 'region', 'organisation')),
    org_type        TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL,
    code            TEXT NOT NULL DEFAULT '',
    reassess_months INTEGER NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    CHECK ((level = 'nation') = (parent_id IS NULL))
);
CREATE UNIQUE INDEX organisations_one_nation ON organisations (level) WHERE level = 'nation';
CREATE UNIQUE INDEX organisations_sibling_name ON organisations (coalesce(parent_id, 0), lower(name));
CREATE INDEX organisations_parent ON organisations (parent_id, name);

-- Departments of an organisation, and teams within a department.
CREATE TABLE units (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    parent_id       INTEGER REFERENCES units (id),
    kind            TEXT NOT NULL CHECK (kind IN ('department', 'team')),
    name            TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    CHECK ((kind = 'department') = (parent_id IS NULL))
);
CREATE UNIQUE INDEX units_sibling_name ON units (organisation_id, coalesce(parent_id, 0), lower(name));
CREATE INDEX units_parent ON units (parent_id);

-- One row per identity; email is stored lower-cased.
CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    password_hash     TEXT NOT NULL DEFAULT '',
    email_verified_at DATETIME,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);

-- roles is a bit set: 1 learner, 2 supervisor, 4 organisation admin,
-- 8 content author, 16 region lead, 32 national admin.
CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    roles           INTEGER NOT NULL CHECK (roles > 0),
    staff_group     TEXT NOT NULL DEFAULT '',
    job_role        TEXT NOT NULL DEFAULT '',
    pay_band        TEXT NOT NULL DEFAULT '',
    unit_id         INTEGER REFERENCES units (id),
    line_manager_id INTEGER REFERENCES people (id),
    started_at      DATETIME NOT NULL,
    ended_at        DATETIME,
    -- The person's name, lower-cased, kept here so that an organisation's
    -- people can be listed in name order from an index.
    sort_name       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX memberships_current ON memberships (organisation_id, person_id) WHERE ended_at IS NULL;
CREATE INDEX memberships_person ON memberships (person_id);
CREATE INDEX memberships_by_name ON memberships (organisation_id, sort_name, person_id) WHERE ended_at IS NULL;
CREATE INDEX memberships_unit ON memberships (unit_id);
CREATE INDEX memberships_line_manager ON memberships (line_manager_id, organisation_id);

-- Sign-in sessions. Only a hash of the cookie's secret is kept.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Single-use links sent by email: invitations, address confirmation and
-- password reset. Only a hash of the secret is kept.
CREATE TABLE tokens (
    token_hash      TEXT PRIMARY KEY,
    purpose         TEXT NOT NULL CHECK (purpose IN ('invitation', 'verify_email', 'reset_password')),
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisations (id),
    created_at      DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL,
    used_at         DATETIME
);
CREATE INDEX tokens_person ON tokens (person_id, purpose);

-- Counted events, such as failed sign-ins or reset requests, per key
-- (an email address or a client address), with a lock when there are too many.
CREATE TABLE throttle (
    key               TEXT PRIMARY KEY,
    events            INTEGER NOT NULL,
    window_started_at DATETIME NOT NULL,
    locked_until      DATETIME
);

CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY,
    at              DATETIME NOT NULL,
    actor_id        INTEGER REFERENCES people (id),
    organisation_id INTEGER REFERENCES organisations (id),
    action          TEXT NOT NULL,
    subject_type    TEXT NOT NULL DEFAULT '',
    subject_id      INTEGER,
    detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_organisation ON audit_events (organisation_id, at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE throttle;
DROP TABLE tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE people;
DROP TABLE units;
DROP TABLE organisations;
DROP TABLE settings;
