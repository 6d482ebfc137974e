-- The smallest group shown (k) that each organisation's recorded
-- suppression was worked out with. A deployment that changes k works out
-- every organisation's suppression again, and until it has, regions and
-- the nation treat an organisation's own figures as not shown.

-- +goose Up
ALTER TABLE insight_versions ADD COLUMN laid_k INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE insight_versions DROP COLUMN laid_k;
