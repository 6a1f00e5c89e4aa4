-- +goose Up
-- Written by hand: columns added in place (the generated migration rebuilt
-- dossiers, which drops the report guard's triggers with the old table).
ALTER TABLE `agencies` ADD COLUMN `area_kinds` json NULL;
ALTER TABLE `dossiers` ADD COLUMN `limit_minutes` integer NOT NULL DEFAULT (0);
ALTER TABLE `dossiers` ADD COLUMN `limit_days` integer NOT NULL DEFAULT (0);
ALTER TABLE `dossiers` ADD COLUMN `adjustments` json NULL;
ALTER TABLE `procedures` ADD COLUMN `channel_limits` json NULL;
CREATE TABLE `limit_adjustments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `procedure_codes` json NOT NULL, `area_kinds` json NOT NULL, `days` integer NOT NULL, `reference` text NOT NULL, `valid_from` text NOT NULL, `valid_until` text NULL);
INSERT INTO sqlite_sequence (name, seq) VALUES ("limit_adjustments", 77309411328);

-- +goose Down
DROP TABLE `limit_adjustments`;
ALTER TABLE `procedures` DROP COLUMN `channel_limits`;
ALTER TABLE `dossiers` DROP COLUMN `adjustments`;
ALTER TABLE `dossiers` DROP COLUMN `limit_days`;
ALTER TABLE `dossiers` DROP COLUMN `limit_minutes`;
ALTER TABLE `agencies` DROP COLUMN `area_kinds`;
