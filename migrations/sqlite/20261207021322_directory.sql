-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- add column "kind" to table: "agencies"
ALTER TABLE `agencies` ADD COLUMN `kind` text NULL;
-- create "new_procedures" table
CREATE TABLE `new_procedures` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `code` text NOT NULL, `version` integer NOT NULL, `current` bool NOT NULL DEFAULT (true), `name` text NOT NULL, `field` text NOT NULL, `legal_limit_minutes` integer NOT NULL, `limit_minutes` integer NOT NULL, `limit_unit` text NOT NULL DEFAULT ('WORKING_DAYS'), `channels` json NOT NULL, `online_level` integer NOT NULL DEFAULT (0), `fee` integer NOT NULL DEFAULT (0), `components` json NOT NULL, `supplement_policy` text NOT NULL DEFAULT ('PAUSE'), `submission` bool NOT NULL DEFAULT (false), `cutoff` text NULL);
-- set sequence for "new_procedures" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_procedures", 34359738368);
-- copy rows from old table "procedures" to new temporary table "new_procedures"
INSERT INTO `new_procedures` (`id`, `create_time`, `update_time`, `code`, `version`, `current`, `name`, `field`, `legal_limit_minutes`, `limit_minutes`, `limit_unit`, `channels`, `online_level`, `fee`, `components`, `supplement_policy`, `cutoff`) SELECT `id`, `create_time`, `update_time`, `code`, `version`, `current`, `name`, `field`, `legal_limit_minutes`, `limit_minutes`, `limit_unit`, `channels`, `online_level`, `fee`, `components`, `supplement_policy`, `cutoff` FROM `procedures`;
-- drop "procedures" table after copying rows
DROP TABLE `procedures`;
-- rename temporary table "new_procedures" to "procedures"
ALTER TABLE `new_procedures` RENAME TO `procedures`;
-- create index "procedure_code_version" to table: "procedures"
CREATE UNIQUE INDEX `procedure_code_version` ON `procedures` (`code`, `version`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "procedure_code_version" to table: "procedures"
DROP INDEX `procedure_code_version`;
-- reverse: set sequence for "new_procedures" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_procedures";
-- reverse: create "new_procedures" table
DROP TABLE `new_procedures`;
-- reverse: add column "kind" to table: "agencies"
ALTER TABLE `agencies` DROP COLUMN `kind`;
