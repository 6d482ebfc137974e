-- Learning content: items owned nationally or by an organisation, their
-- versions, what they are mapped to, whom they are shared with, and the
-- catalogue's full-text index.

-- +goose Up
CREATE TABLE content_items (
    id                  INTEGER PRIMARY KEY,
    owner_id            INTEGER NOT NULL REFERENCES organisations (id),
    visibility          TEXT NOT NULL CHECK (visibility IN ('owner', 'named', 'everyone')),
    copied_from_item    INTEGER REFERENCES content_items (id),
    copied_from_version INTEGER NOT NULL DEFAULT 0,
    copied_from_title   TEXT NOT NULL DEFAULT '',
    copied_from_owner   TEXT NOT NULL DEFAULT '',
    created_by          INTEGER REFERENCES people (id),
    created_at          DATETIME NOT NULL
);
CREATE INDEX content_items_owner ON content_items (owner_id);
CREATE INDEX content_items_everyone ON content_items (visibility) WHERE visibility = 'everyone';

-- A published version never changes. audience and pages are JSON read
-- with the version; search_text is the plain text of its pages.
CREATE TABLE content_versions (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES content_items (id),
    number        INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published', 'retired')),
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    format        TEXT NOT NULL CHECK (format IN ('lesson', 'link')),
    minutes       INTEGER NOT NULL DEFAULT 0,
    audience      TEXT NOT NULL DEFAULT '{}',
    review_by     DATETIME,
    badge_bearing BOOLEAN NOT NULL DEFAULT false,
    pages         TEXT NOT NULL DEFAULT '[]',
    pass_mark     INTEGER NOT NULL DEFAULT 0,
    link_url      TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',
    review_note   TEXT NOT NULL DEFAULT '',
    created_by    INTEGER REFERENCES people (id),
    created_at    DATETIME NOT NULL,
    submitted_by  INTEGER REFERENCES people (id),
    published_by  INTEGER REFERENCES people (id),
    published_at  DATETIME,
    UNIQUE (item_id, number)
);
CREATE UNIQUE INDEX content_versions_one_published ON content_versions (item_id) WHERE status = 'published';
CREATE UNIQUE INDEX content_versions_one_open ON content_versions (item_id) WHERE status IN ('draft', 'review');
CREATE INDEX content_versions_published ON content_versions (status, format, minutes) WHERE status = 'published';

CREATE TABLE content_mappings (
    version_id      INTEGER NOT NULL REFERENCES content_versions (id),
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    domain_code     TEXT NOT NULL,
    capability_code TEXT NOT NULL,
    level           INTEGER NOT NULL,
    PRIMARY KEY (version_id, framework_id, capability_code)
);
CREATE INDEX content_mappings_capability ON content_mappings (framework_id, capability_code);
CREATE INDEX content_mappings_domain ON content_mappings (framework_id, domain_code, level);

CREATE TABLE content_shares (
    item_id         INTEGER NOT NULL REFERENCES content_items (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (item_id, organisation_id)
);
CREATE INDEX content_shares_organisation ON content_shares (organisation_id);

-- Images uploaded for lessons, served at /media/<id>. id is random, so an
-- image's address cannot be guessed from another's.
CREATE TABLE media (
    id              TEXT PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    item_id         INTEGER NOT NULL REFERENCES content_items (id),
    content_type    TEXT NOT NULL,
    name            TEXT NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    body            BLOB NOT NULL,
    created_by      INTEGER REFERENCES people (id),
    created_at      DATETIME NOT NULL
);
CREATE INDEX media_item ON media (item_id);

-- Learning an organisation assigns: to one person, or to everyone of a
-- department or team, a staff group or a job role, now and as they join.
-- due_days is how long people have from being assigned; renew_months, when
-- not 0, assigns the learning again that long after each completion.
CREATE TABLE assignments (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    item_id         INTEGER NOT NULL REFERENCES content_items (id),
    person_id       INTEGER REFERENCES people (id),
    unit_id         INTEGER REFERENCES units (id),
    staff_group     TEXT NOT NULL DEFAULT '',
    job_role        TEXT NOT NULL DEFAULT '',
    mandatory       BOOLEAN NOT NULL DEFAULT false,
    due_days        INTEGER NOT NULL,
    renew_months    INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER REFERENCES people (id),
    created_at      DATETIME NOT NULL,
    ended_at        DATETIME
);
CREATE INDEX assignments_organisation ON assignments (organisation_id) WHERE ended_at IS NULL;

-- A person's enrolment on learning and their progress through the version
-- they are doing, which a completion keeps. Renewing learning is a new
-- enrolment; at most one is open at a time. pages_seen lists page numbers;
-- answers is JSON, the options chosen for each "page.question".
CREATE TABLE enrolments (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    item_id         INTEGER NOT NULL REFERENCES content_items (id),
    organisation_id INTEGER REFERENCES organisations (id),
    version_id      INTEGER NOT NULL REFERENCES content_versions (id),
    status          TEXT NOT NULL CHECK (status IN ('enrolled', 'completed')),
    source          TEXT NOT NULL CHECK (source IN ('self', 'assigned')),
    due_at          DATETIME,
    assignment_id   INTEGER REFERENCES assignments (id),
    mandatory       BOOLEAN NOT NULL DEFAULT false,
    pages_seen      TEXT NOT NULL DEFAULT '',
    answers         TEXT NOT NULL DEFAULT '{}',
    seconds         INTEGER NOT NULL DEFAULT 0,
    last_seen_at    DATETIME,
    created_at      DATETIME NOT NULL,
    completed_at    DATETIME,
    score           INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX enrolments_one_open ON enrolments (person_id, item_id) WHERE status = 'enrolled';
CREATE INDEX enrolments_person ON enrolments (person_id, status);
CREATE INDEX enrolments_item ON enrolments (item_id, status);

-- Reminders queued for enrolments with a due date, each kind once.
CREATE TABLE reminders (
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id),
    kind         TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    queued_at    DATETIME NOT NULL,
    PRIMARY KEY (enrolment_id, kind)
);
CREATE INDEX enrolments_due ON enrolments (due_at) WHERE status = 'enrolled' AND due_at IS NOT NULL;

-- Whether a person wants emails about their learning: reminders before
-- and after a due date.
ALTER TABLE people ADD COLUMN learning_emails BOOLEAN NOT NULL DEFAULT true;

-- Open Badges issued for completions, kept as the signed credential. id is
-- random and is part of the credential's public address.
CREATE TABLE badges (
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
CREATE INDEX badges_person ON badges (person_id);
CREATE INDEX badges_organisation ON badges (organisation_id, issued_at);
CREATE INDEX badges_revoked ON badges (revoked_at) WHERE revoked_at IS NOT NULL;

-- The catalogue's index: one row for each item with a published version,
-- its rowid the version's id.
CREATE VIRTUAL TABLE content_search USING fts5 (title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2');

-- +goose Down
ALTER TABLE people DROP COLUMN learning_emails;
DROP TABLE reminders;
DROP TABLE badges;
DROP TABLE enrolments;
DROP TABLE assignments;
DROP TABLE media;
DROP TABLE content_search;
DROP TABLE content_shares;
DROP TABLE content_mappings;
DROP TABLE content_versions;
DROP TABLE content_items;
