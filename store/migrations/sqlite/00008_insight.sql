-- Summaries of submitted attempts that the workforce pages read, so that
-- no page adds up answers. Submitting an attempt queues it; a background
-- job counts queued attempts into the summaries in batches.

-- +goose Up
-- How many statements of each domain were rated below where they need to
-- be, so that the summaries can tell who reached the target.
ALTER TABLE attempt_scores ADD COLUMN below INTEGER NOT NULL DEFAULT 0;
UPDATE attempt_scores SET below = (
    SELECT count(*) FROM answers a
    JOIN capabilities c ON c.id = a.capability_id
    JOIN domains d ON d.id = c.domain_id
    WHERE a.attempt_id = attempt_scores.attempt_id AND d.code = attempt_scores.domain_code
      AND a.now_rating < a.needed_rating);

CREATE TABLE insight_queue (
    attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id),
    queued_at  DATETIME NOT NULL
);
INSERT INTO insight_queue (attempt_id, queued_at)
SELECT id, submitted_at FROM attempts WHERE status = 'submitted' AND organisation_id IS NOT NULL;

-- The attempt each person counts by in each cycle at each organisation:
-- their latest submitted there, with where they sat (department_id 0 when
-- none). Cycles are years from 1 April, named by the year they start.
CREATE TABLE insight_entries (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    attempt_id      INTEGER NOT NULL REFERENCES attempts (id),
    submitted_at    DATETIME NOT NULL,
    department_id   INTEGER NOT NULL,
    staff_group     TEXT NOT NULL,
    pay_band        TEXT NOT NULL,
    PRIMARY KEY (organisation_id, framework_id, cycle, person_id)
);
CREATE INDEX insight_entries_person ON insight_entries (person_id, organisation_id, framework_id);

-- Sums over the entries of a cycle by where people sat, for each domain
-- and the band reached in it. Scores are in tenths of a point so that sums
-- stay exact. The change columns hold, for the people who also counted in
-- the cycle before, their score now less their score then.
CREATE TABLE insight_cells (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    department_id   INTEGER NOT NULL,
    staff_group     TEXT NOT NULL,
    pay_band        TEXT NOT NULL,
    domain_code     TEXT NOT NULL,
    band            TEXT NOT NULL,
    people          INTEGER NOT NULL,
    now_tenths      INTEGER NOT NULL,
    needed_tenths   INTEGER NOT NULL,
    below           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    over_rated      INTEGER NOT NULL,
    under_rated     INTEGER NOT NULL,
    paired          INTEGER NOT NULL,
    change_tenths   INTEGER NOT NULL,
    improved        INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, framework_id, cycle, department_id, staff_group, pay_band, domain_code, band)
);

-- The same sums for each organisation as a whole, which the pages of
-- regions and the nation add up.
CREATE TABLE insight_totals (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    domain_code     TEXT NOT NULL,
    band            TEXT NOT NULL,
    people          INTEGER NOT NULL,
    now_tenths      INTEGER NOT NULL,
    needed_tenths   INTEGER NOT NULL,
    below           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    over_rated      INTEGER NOT NULL,
    under_rated     INTEGER NOT NULL,
    paired          INTEGER NOT NULL,
    change_tenths   INTEGER NOT NULL,
    improved        INTEGER NOT NULL,
    PRIMARY KEY (framework_id, cycle, organisation_id, domain_code, band)
);

-- version is raised whenever an organisation's summaries change, so that
-- each instance knows when what it worked out from them is out of date;
-- laid is the version whose suppression insight_shown records.
CREATE TABLE insight_versions (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id),
    version         INTEGER NOT NULL,
    laid            INTEGER NOT NULL DEFAULT 0
);

-- Whether an organisation's own figures of a year are shown, as its
-- suppression decided: where they are not, regions and the nation pool it
-- with other small organisations.
CREATE TABLE insight_shown (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    scores          BOOLEAN NOT NULL,
    change          BOOLEAN NOT NULL,
    PRIMARY KEY (organisation_id, framework_id, cycle)
);

-- An organisation's digital workforce plan: by due_at, the share of its
-- staff (per cent) who should have reached their target in each domain.
-- baseline is the share, in tenths of a per cent, when the plan was set.
CREATE TABLE workforce_plans (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    framework_id    INTEGER NOT NULL REFERENCES frameworks (id),
    domain_code     TEXT NOT NULL,
    target          INTEGER NOT NULL CHECK (target BETWEEN 1 AND 100),
    baseline        INTEGER NOT NULL,
    starts_at       DATETIME NOT NULL,
    due_at          DATETIME NOT NULL,
    updated_by      INTEGER REFERENCES people (id),
    PRIMARY KEY (organisation_id, framework_id, domain_code)
);

-- The specialist digital, data and technology role a member holds, if
-- any, and its level (upskill.DDaTRoles and upskill.DDaTLevels).
ALTER TABLE memberships ADD COLUMN ddat_role TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN ddat_level TEXT NOT NULL DEFAULT '';
CREATE INDEX memberships_ddat ON memberships (organisation_id, ddat_role, ddat_level) WHERE ddat_role <> '' AND ended_at IS NULL;

-- +goose Down
DROP INDEX memberships_ddat;
ALTER TABLE memberships DROP COLUMN ddat_level;
ALTER TABLE memberships DROP COLUMN ddat_role;
DROP TABLE workforce_plans;
DROP TABLE insight_shown;
DROP TABLE insight_versions;
DROP TABLE insight_totals;
DROP TABLE insight_cells;
DROP TABLE insight_entries;
DROP TABLE insight_queue;
ALTER TABLE attempt_scores DROP COLUMN below;
