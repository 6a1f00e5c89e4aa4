-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_rollups" table
CREATE TABLE `new_rollups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `day` integer NOT NULL, `agency_id` integer NOT NULL, `procedure_id` integer NOT NULL, `shard` integer NOT NULL DEFAULT (0), `received` integer NOT NULL DEFAULT (0), `finished` integer NOT NULL DEFAULT (0), `early` integer NOT NULL DEFAULT (0), `on_time` integer NOT NULL DEFAULT (0), `late` integer NOT NULL DEFAULT (0), `cancelled` integer NOT NULL DEFAULT (0), `minutes` integer NOT NULL DEFAULT (0), `opened` integer NOT NULL DEFAULT (0), `closed` integer NOT NULL DEFAULT (0), `due` integer NOT NULL DEFAULT (0), `settled` integer NOT NULL DEFAULT (0), `supplement2` integer NOT NULL DEFAULT (0), `send_back2` integer NOT NULL DEFAULT (0));
-- set sequence for "new_rollups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_rollups", 47244640256);
-- copy rows from old table "rollups" to new temporary table "new_rollups"
INSERT INTO `new_rollups` (`id`, `kind`, `day`, `agency_id`, `procedure_id`, `received`, `finished`, `early`, `on_time`, `late`, `cancelled`, `minutes`, `opened`, `closed`, `due`, `settled`, `supplement2`, `send_back2`) SELECT `id`, `kind`, `day`, `agency_id`, `procedure_id`, `received`, `finished`, `early`, `on_time`, `late`, `cancelled`, `minutes`, `opened`, `closed`, `due`, `settled`, `supplement2`, `send_back2` FROM `rollups`;
-- drop "rollups" table after copying rows
DROP TABLE `rollups`;
-- rename temporary table "new_rollups" to "rollups"
ALTER TABLE `new_rollups` RENAME TO `rollups`;
-- create index "rollup_kind_day_agency_id_procedure_id_shard" to table: "rollups"
CREATE UNIQUE INDEX `rollup_kind_day_agency_id_procedure_id_shard` ON `rollups` (`kind`, `day`, `agency_id`, `procedure_id`, `shard`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "rollup_kind_day_agency_id_procedure_id_shard" to table: "rollups"
DROP INDEX `rollup_kind_day_agency_id_procedure_id_shard`;
-- reverse: set sequence for "new_rollups" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_rollups";
-- reverse: create "new_rollups" table
DROP TABLE `new_rollups`;
