-- +goose Up
-- create "par_indexes" table
CREATE TABLE `par_indexes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `year` integer NOT NULL, `score` real NOT NULL, `agency_id` integer NOT NULL, `entered_by_id` integer NULL, CONSTRAINT `par_indexes_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE NO ACTION, CONSTRAINT `par_indexes_officers_entered_by` FOREIGN KEY (`entered_by_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL);
-- set sequence for "par_indexes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("par_indexes", 42949672960);
-- create index "parindex_agency_id_year" to table: "par_indexes"
CREATE UNIQUE INDEX `parindex_agency_id_year` ON `par_indexes` (`agency_id`, `year`);

-- +goose Down
-- reverse: create index "parindex_agency_id_year" to table: "par_indexes"
DROP INDEX `parindex_agency_id_year`;
-- reverse: set sequence for "par_indexes" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "par_indexes";
-- reverse: create "par_indexes" table
DROP TABLE `par_indexes`;
