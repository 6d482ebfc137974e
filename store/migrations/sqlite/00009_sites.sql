-- Sites: the places an organisation works from. Each department may sit
-- at one site, and the workforce figures split by site through the
-- departments, so a site is never finer than the departments in it.

-- +goose Up
-- AUTOINCREMENT, so that a removed site's number is never given to
-- another: figures counted at it keep pointing at it.
CREATE TABLE sites (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    created_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX sites_name ON sites (organisation_id, lower(name));
ALTER TABLE units ADD COLUMN site_id INTEGER REFERENCES sites (id);
CREATE INDEX units_site ON units (site_id) WHERE site_id IS NOT NULL;

-- +goose Down
DROP INDEX units_site;
ALTER TABLE units DROP COLUMN site_id;
DROP TABLE sites;
