-- More in the workforce summaries: the site each person counted at (their
-- department's when the attempt was counted, kept like the department so
-- that moving a department later changes no past figures); the band each
-- person's role needs in a domain, beside the band they are in; and
-- whether, since submitting, they have completed learning for a statement
-- they rated below what is needed. requeued counts how often an attempt
-- was queued again while waiting, so that counting takes off the queue
-- only what it read. The summaries are kept from the attempts, so they
-- are emptied here and every submitted attempt is queued to be counted
-- again.

-- +goose Up
DROP TABLE insight_cells;
DROP TABLE insight_totals;
DELETE FROM insight_entries;
ALTER TABLE insight_entries ADD COLUMN learned TEXT NOT NULL DEFAULT '';
ALTER TABLE insight_entries ADD COLUMN site_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_queue ADD COLUMN requeued INTEGER NOT NULL DEFAULT 0;
CREATE TABLE insight_cells (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    framework_id    BIGINT NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    department_id   BIGINT NOT NULL,
    site_id         BIGINT NOT NULL,
    staff_group     TEXT NOT NULL,
    pay_band        TEXT NOT NULL,
    domain_code     TEXT NOT NULL,
    band            TEXT NOT NULL,
    needed_band     TEXT NOT NULL,
    people          INTEGER NOT NULL,
    now_tenths      BIGINT NOT NULL,
    needed_tenths   BIGINT NOT NULL,
    below           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    over_rated      INTEGER NOT NULL,
    under_rated     INTEGER NOT NULL,
    paired          INTEGER NOT NULL,
    change_tenths   BIGINT NOT NULL,
    improved        INTEGER NOT NULL,
    learned         INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, framework_id, cycle, department_id, site_id, staff_group, pay_band, domain_code, band, needed_band)
);

CREATE TABLE insight_totals (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    framework_id    BIGINT NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    domain_code     TEXT NOT NULL,
    band            TEXT NOT NULL,
    needed_band     TEXT NOT NULL,
    people          INTEGER NOT NULL,
    now_tenths      BIGINT NOT NULL,
    needed_tenths   BIGINT NOT NULL,
    below           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    over_rated      INTEGER NOT NULL,
    under_rated     INTEGER NOT NULL,
    paired          INTEGER NOT NULL,
    change_tenths   BIGINT NOT NULL,
    improved        INTEGER NOT NULL,
    learned         INTEGER NOT NULL,
    PRIMARY KEY (framework_id, cycle, organisation_id, domain_code, band, needed_band)
);

DELETE FROM insight_shown;
UPDATE insight_versions SET version = version + 1;
INSERT INTO insight_queue (attempt_id, queued_at)
SELECT id, submitted_at FROM attempts WHERE status = 'submitted' AND organisation_id IS NOT NULL
ON CONFLICT (attempt_id) DO NOTHING;

-- +goose Down
DROP TABLE insight_cells;
DROP TABLE insight_totals;
DELETE FROM insight_entries;
ALTER TABLE insight_entries DROP COLUMN learned;
ALTER TABLE insight_entries DROP COLUMN site_id;
ALTER TABLE insight_queue DROP COLUMN requeued;
CREATE TABLE insight_cells (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    framework_id    BIGINT NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    department_id   BIGINT NOT NULL,
    staff_group     TEXT NOT NULL,
    pay_band        TEXT NOT NULL,
    domain_code     TEXT NOT NULL,
    band            TEXT NOT NULL,
    people          INTEGER NOT NULL,
    now_tenths      BIGINT NOT NULL,
    needed_tenths   BIGINT NOT NULL,
    below           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    over_rated      INTEGER NOT NULL,
    under_rated     INTEGER NOT NULL,
    paired          INTEGER NOT NULL,
    change_tenths   BIGINT NOT NULL,
    improved        INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, framework_id, cycle, department_id, staff_group, pay_band, domain_code, band)
);

CREATE TABLE insight_totals (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    framework_id    BIGINT NOT NULL REFERENCES frameworks (id),
    cycle           INTEGER NOT NULL,
    domain_code     TEXT NOT NULL,
    band            TEXT NOT NULL,
    people          INTEGER NOT NULL,
    now_tenths      BIGINT NOT NULL,
    needed_tenths   BIGINT NOT NULL,
    below           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    over_rated      INTEGER NOT NULL,
    under_rated     INTEGER NOT NULL,
    paired          INTEGER NOT NULL,
    change_tenths   BIGINT NOT NULL,
    improved        INTEGER NOT NULL,
    PRIMARY KEY (framework_id, cycle, organisation_id, domain_code, band)
);

DELETE FROM insight_shown;
UPDATE insight_versions SET version = version + 1;
INSERT INTO insight_queue (attempt_id, queued_at)
SELECT id, submitted_at FROM attempts WHERE status = 'submitted' AND organisation_id IS NOT NULL
ON CONFLICT (attempt_id) DO NOTHING;
