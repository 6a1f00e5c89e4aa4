-- +goose Up
-- create "office_hours" table
CREATE TABLE `office_hours` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `from` text NOT NULL, `sessions` json NOT NULL, `entered_by_id` integer NULL, `agency_id` integer NULL, CONSTRAINT `office_hours_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE CASCADE);
-- set sequence for "office_hours" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("office_hours", 73014444032);
-- create index "officehours_agency_id_from" to table: "office_hours"
CREATE UNIQUE INDEX `officehours_agency_id_from` ON `office_hours` (`agency_id`, `from`);
-- create index "officehours_from" to table: "office_hours"
CREATE UNIQUE INDEX `officehours_from` ON `office_hours` (`from`) WHERE agency_id IS NULL;

-- +goose Down
-- reverse: create index "officehours_from" to table: "office_hours"
DROP INDEX `officehours_from`;
-- reverse: create index "officehours_agency_id_from" to table: "office_hours"
DROP INDEX `officehours_agency_id_from`;
-- reverse: set sequence for "office_hours" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "office_hours";
-- reverse: create "office_hours" table
DROP TABLE `office_hours`;
