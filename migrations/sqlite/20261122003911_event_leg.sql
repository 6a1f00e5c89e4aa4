-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_dossier_events" table
CREATE TABLE `new_dossier_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NOT NULL, `type` text NOT NULL, `from_state` text NULL, `to_state` text NOT NULL, `reason` text NOT NULL DEFAULT (''), `note` text NOT NULL DEFAULT (''), `data` json NULL, `at` datetime NOT NULL, `dossier_id` integer NOT NULL, `actor_id` integer NULL, `acting_for_id` integer NULL, `agency_id` integer NULL, `leg_id` integer NULL, CONSTRAINT `dossier_events_dossiers_events` FOREIGN KEY (`dossier_id`) REFERENCES `dossiers` (`id`) ON DELETE NO ACTION, CONSTRAINT `dossier_events_officers_actor` FOREIGN KEY (`actor_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL, CONSTRAINT `dossier_events_officers_acting_for` FOREIGN KEY (`acting_for_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL, CONSTRAINT `dossier_events_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE SET NULL, CONSTRAINT `dossier_events_legs_leg` FOREIGN KEY (`leg_id`) REFERENCES `legs` (`id`) ON DELETE SET NULL);
-- set sequence for "new_dossier_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_dossier_events", 21474836480);
-- copy rows from old table "dossier_events" to new temporary table "new_dossier_events"
INSERT INTO `new_dossier_events` (`id`, `seq`, `type`, `from_state`, `to_state`, `reason`, `note`, `data`, `at`, `dossier_id`, `actor_id`, `acting_for_id`, `agency_id`, `leg_id`) SELECT `id`, `seq`, `type`, `from_state`, `to_state`, `reason`, `note`, `data`, `at`, `dossier_id`, `actor_id`, `acting_for_id`, `agency_id`, `leg_id` FROM `dossier_events`;
-- drop "dossier_events" table after copying rows
DROP TABLE `dossier_events`;
-- rename temporary table "new_dossier_events" to "dossier_events"
ALTER TABLE `new_dossier_events` RENAME TO `dossier_events`;
-- create index "dossierevent_dossier_id_seq" to table: "dossier_events"
CREATE UNIQUE INDEX `dossierevent_dossier_id_seq` ON `dossier_events` (`dossier_id`, `seq`);
-- create index "dossierevent_type_at" to table: "dossier_events"
CREATE INDEX `dossierevent_type_at` ON `dossier_events` (`type`, `at`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "dossierevent_type_at" to table: "dossier_events"
DROP INDEX `dossierevent_type_at`;
-- reverse: create index "dossierevent_dossier_id_seq" to table: "dossier_events"
DROP INDEX `dossierevent_dossier_id_seq`;
-- reverse: set sequence for "new_dossier_events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_dossier_events";
-- reverse: create "new_dossier_events" table
DROP TABLE `new_dossier_events`;
