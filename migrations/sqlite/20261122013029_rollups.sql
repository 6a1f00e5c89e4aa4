-- +goose Up
-- create "rollups" table
CREATE TABLE `rollups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `day` integer NOT NULL, `agency_id` integer NOT NULL, `procedure_id` integer NOT NULL, `received` integer NOT NULL DEFAULT (0), `finished` integer NOT NULL DEFAULT (0), `early` integer NOT NULL DEFAULT (0), `on_time` integer NOT NULL DEFAULT (0), `late` integer NOT NULL DEFAULT (0), `cancelled` integer NOT NULL DEFAULT (0), `minutes` integer NOT NULL DEFAULT (0), `opened` integer NOT NULL DEFAULT (0), `closed` integer NOT NULL DEFAULT (0), `due` integer NOT NULL DEFAULT (0), `settled` integer NOT NULL DEFAULT (0), `supplement2` integer NOT NULL DEFAULT (0), `send_back2` integer NOT NULL DEFAULT (0));
-- set sequence for "rollups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("rollups", 47244640256);
-- create index "rollup_kind_day_agency_id_procedure_id" to table: "rollups"
CREATE UNIQUE INDEX `rollup_kind_day_agency_id_procedure_id` ON `rollups` (`kind`, `day`, `agency_id`, `procedure_id`);

-- +goose Down
-- reverse: create index "rollup_kind_day_agency_id_procedure_id" to table: "rollups"
DROP INDEX `rollup_kind_day_agency_id_procedure_id`;
-- reverse: set sequence for "rollups" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "rollups";
-- reverse: create "rollups" table
DROP TABLE `rollups`;
