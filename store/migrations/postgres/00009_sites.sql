-- Sites: the places an organisation works from. Each department may sit
-- at one site, and the workforce figures split by site through the
-- departments, so a site is never finer than the departments in it.

-- +goose Up
CREATE TABLE sites (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX sites_name ON sites (organisation_id, lower(name));
ALTER TABLE units ADD COLUMN site_id BIGINT REFERENCES sites (id);
CREATE INDEX units_site ON units (site_id) WHERE site_id IS NOT NULL;

-- +goose Down
DROP INDEX units_site;
ALTER TABLE units DROP COLUMN site_id;
DROP TABLE sites;
