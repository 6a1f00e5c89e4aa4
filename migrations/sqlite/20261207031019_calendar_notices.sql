-- +goose Up
-- create "calendar_notices" table
CREATE TABLE `calendar_notices` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `year` integer NOT NULL, `reference` text NOT NULL, `issued_on` text NULL, `entered_by_id` integer NULL);
-- set sequence for "calendar_notices" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("calendar_notices", 68719476736);
-- create index "calendar_notices_year_key" to table: "calendar_notices"
CREATE UNIQUE INDEX `calendar_notices_year_key` ON `calendar_notices` (`year`);

-- +goose Down
-- reverse: create index "calendar_notices_year_key" to table: "calendar_notices"
DROP INDEX `calendar_notices_year_key`;
-- reverse: set sequence for "calendar_notices" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "calendar_notices";
-- reverse: create "calendar_notices" table
DROP TABLE `calendar_notices`;
