-- +goose Up
-- create "agencies" table
CREATE TABLE `agencies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `level` text NOT NULL, `has_desk` bool NOT NULL DEFAULT (false), `active` bool NOT NULL DEFAULT (true), `parent_id` integer NULL, CONSTRAINT `agencies_agencies_children` FOREIGN KEY (`parent_id`) REFERENCES `agencies` (`id`) ON DELETE SET NULL);
-- create index "agencies_code_key" to table: "agencies"
CREATE UNIQUE INDEX `agencies_code_key` ON `agencies` (`code`);
-- create "calendar_days" table
CREATE TABLE `calendar_days` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `date` text NOT NULL, `working` bool NOT NULL, `name` text NOT NULL DEFAULT (''));
-- set sequence for "calendar_days" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("calendar_days", 4294967296);
-- create index "calendar_days_date_key" to table: "calendar_days"
CREATE UNIQUE INDEX `calendar_days_date_key` ON `calendar_days` (`date`);
-- create "delegations" table
CREATE TABLE `delegations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NOT NULL, `from_officer_id` integer NOT NULL, `to_officer_id` integer NOT NULL, CONSTRAINT `delegations_officers_from_officer` FOREIGN KEY (`from_officer_id`) REFERENCES `officers` (`id`) ON DELETE NO ACTION, CONSTRAINT `delegations_officers_to_officer` FOREIGN KEY (`to_officer_id`) REFERENCES `officers` (`id`) ON DELETE NO ACTION);
-- set sequence for "delegations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("delegations", 8589934592);
-- create "dossiers" table
CREATE TABLE `dossiers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `code` text NOT NULL, `external_code` text NULL, `source` text NULL, `intake_hash` text NOT NULL, `applicant_name` text NOT NULL, `applicant_id_number` text NOT NULL, `applicant_phone` text NOT NULL DEFAULT (''), `applicant_email` text NOT NULL DEFAULT (''), `applicant_address` text NOT NULL DEFAULT (''), `channel` text NOT NULL, `components` json NOT NULL, `state` text NOT NULL, `resume_state` text NULL, `submitted_at` datetime NOT NULL, `received_at` datetime NULL, `appointment_at` datetime NULL, `original_appointment_at` datetime NULL, `finished_at` datetime NULL, `completed_at` datetime NULL, `paused_at` datetime NULL, `paused_minutes` integer NOT NULL DEFAULT (0), `current_position` integer NOT NULL DEFAULT (0), `supplement_rounds` integer NOT NULL DEFAULT (0), `send_backs` integer NOT NULL DEFAULT (0), `apologized` bool NOT NULL DEFAULT (false), `overdue_at` datetime NULL, `due_soon_at` datetime NULL, `version` integer NOT NULL DEFAULT (1), `desk_agency_id` integer NOT NULL, `procedure_id` integer NOT NULL, CONSTRAINT `dossiers_agencies_desk_agency` FOREIGN KEY (`desk_agency_id`) REFERENCES `agencies` (`id`) ON DELETE NO ACTION, CONSTRAINT `dossiers_procedures_dossiers` FOREIGN KEY (`procedure_id`) REFERENCES `procedures` (`id`) ON DELETE NO ACTION);
-- set sequence for "dossiers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dossiers", 12884901888);
-- create index "dossiers_code_key" to table: "dossiers"
CREATE UNIQUE INDEX `dossiers_code_key` ON `dossiers` (`code`);
-- create index "dossier_source_external_code" to table: "dossiers"
CREATE UNIQUE INDEX `dossier_source_external_code` ON `dossiers` (`source`, `external_code`);
-- create index "dossier_desk_agency_id_received_at" to table: "dossiers"
CREATE INDEX `dossier_desk_agency_id_received_at` ON `dossiers` (`desk_agency_id`, `received_at`);
-- create index "dossier_state_appointment_at" to table: "dossiers"
CREATE INDEX `dossier_state_appointment_at` ON `dossiers` (`state`, `appointment_at`);
-- create index "dossier_procedure_id" to table: "dossiers"
CREATE INDEX `dossier_procedure_id` ON `dossiers` (`procedure_id`);
-- create "dossier_counters" table
CREATE TABLE `dossier_counters` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `agency_id` integer NOT NULL, `day` text NOT NULL, `last` integer NOT NULL DEFAULT (0));
-- set sequence for "dossier_counters" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dossier_counters", 17179869184);
-- create index "dossiercounter_agency_id_day" to table: "dossier_counters"
CREATE UNIQUE INDEX `dossiercounter_agency_id_day` ON `dossier_counters` (`agency_id`, `day`);
-- create "dossier_events" table
CREATE TABLE `dossier_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NOT NULL, `type` text NOT NULL, `from_state` text NULL, `to_state` text NOT NULL, `leg_id` integer NULL, `reason` text NOT NULL DEFAULT (''), `note` text NOT NULL DEFAULT (''), `data` json NULL, `at` datetime NOT NULL, `dossier_id` integer NOT NULL, `actor_id` integer NULL, `acting_for_id` integer NULL, `agency_id` integer NULL, CONSTRAINT `dossier_events_dossiers_events` FOREIGN KEY (`dossier_id`) REFERENCES `dossiers` (`id`) ON DELETE NO ACTION, CONSTRAINT `dossier_events_officers_actor` FOREIGN KEY (`actor_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL, CONSTRAINT `dossier_events_officers_acting_for` FOREIGN KEY (`acting_for_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL, CONSTRAINT `dossier_events_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE SET NULL);
-- set sequence for "dossier_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("dossier_events", 21474836480);
-- create index "dossierevent_dossier_id_seq" to table: "dossier_events"
CREATE UNIQUE INDEX `dossierevent_dossier_id_seq` ON `dossier_events` (`dossier_id`, `seq`);
-- create index "dossierevent_type_at" to table: "dossier_events"
CREATE INDEX `dossierevent_type_at` ON `dossier_events` (`type`, `at`);
-- create "legs" table
CREATE TABLE `legs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `role` text NOT NULL, `position` integer NOT NULL DEFAULT (0), `started_at` datetime NOT NULL, `allotted_minutes` integer NOT NULL, `due_at` datetime NOT NULL, `finished_at` datetime NULL, `paused_minutes` integer NOT NULL DEFAULT (0), `judgement` text NOT NULL DEFAULT ('PENDING'), `agree` bool NULL, `opinion` text NULL, `overdue_at` datetime NULL, `dossier_id` integer NOT NULL, `agency_id` integer NOT NULL, `officer_id` integer NULL, CONSTRAINT `legs_dossiers_legs` FOREIGN KEY (`dossier_id`) REFERENCES `dossiers` (`id`) ON DELETE NO ACTION, CONSTRAINT `legs_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE NO ACTION, CONSTRAINT `legs_officers_officer` FOREIGN KEY (`officer_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL);
-- set sequence for "legs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("legs", 25769803776);
-- create index "leg_dossier_id_started_at" to table: "legs"
CREATE INDEX `leg_dossier_id_started_at` ON `legs` (`dossier_id`, `started_at`);
-- create index "leg_agency_id_finished_at" to table: "legs"
CREATE INDEX `leg_agency_id_finished_at` ON `legs` (`agency_id`, `finished_at`);
-- create index "leg_finished_at_due_at" to table: "legs"
CREATE INDEX `leg_finished_at_due_at` ON `legs` (`finished_at`, `due_at`);
-- create "officers" table
CREATE TABLE `officers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `subject` text NOT NULL, `name` text NOT NULL DEFAULT (''), `roles` json NOT NULL, `agency_id` integer NOT NULL, CONSTRAINT `officers_agencies_officers` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE NO ACTION);
-- set sequence for "officers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("officers", 30064771072);
-- create index "officers_subject_key" to table: "officers"
CREATE UNIQUE INDEX `officers_subject_key` ON `officers` (`subject`);
-- create "procedures" table
CREATE TABLE `procedures` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `code` text NOT NULL, `version` integer NOT NULL, `current` bool NOT NULL DEFAULT (true), `name` text NOT NULL, `field` text NOT NULL, `legal_limit_minutes` integer NOT NULL, `limit_minutes` integer NOT NULL, `limit_unit` text NOT NULL DEFAULT ('WORKING_DAYS'), `channels` json NOT NULL, `online_level` integer NOT NULL DEFAULT (0), `fee` integer NOT NULL DEFAULT (0), `components` json NOT NULL, `supplement_policy` text NOT NULL DEFAULT ('PAUSE'), `cutoff` text NULL);
-- set sequence for "procedures" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("procedures", 34359738368);
-- create index "procedure_code_version" to table: "procedures"
CREATE UNIQUE INDEX `procedure_code_version` ON `procedures` (`code`, `version`);
-- create "route_steps" table
CREATE TABLE `route_steps` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `position` integer NOT NULL, `role` text NOT NULL, `allotted_minutes` integer NOT NULL, `parallel_group` integer NOT NULL DEFAULT (0), `task` text NOT NULL DEFAULT (''), `procedure_id` integer NOT NULL, `agency_id` integer NULL, CONSTRAINT `route_steps_procedures_steps` FOREIGN KEY (`procedure_id`) REFERENCES `procedures` (`id`) ON DELETE NO ACTION, CONSTRAINT `route_steps_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE SET NULL);
-- set sequence for "route_steps" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("route_steps", 38654705664);
-- create index "routestep_procedure_id_position" to table: "route_steps"
CREATE UNIQUE INDEX `routestep_procedure_id_position` ON `route_steps` (`procedure_id`, `position`);

-- +goose Down
-- reverse: create index "routestep_procedure_id_position" to table: "route_steps"
DROP INDEX `routestep_procedure_id_position`;
-- reverse: set sequence for "route_steps" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "route_steps";
-- reverse: create "route_steps" table
DROP TABLE `route_steps`;
-- reverse: create index "procedure_code_version" to table: "procedures"
DROP INDEX `procedure_code_version`;
-- reverse: set sequence for "procedures" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "procedures";
-- reverse: create "procedures" table
DROP TABLE `procedures`;
-- reverse: create index "officers_subject_key" to table: "officers"
DROP INDEX `officers_subject_key`;
-- reverse: set sequence for "officers" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "officers";
-- reverse: create "officers" table
DROP TABLE `officers`;
-- reverse: create index "leg_finished_at_due_at" to table: "legs"
DROP INDEX `leg_finished_at_due_at`;
-- reverse: create index "leg_agency_id_finished_at" to table: "legs"
DROP INDEX `leg_agency_id_finished_at`;
-- reverse: create index "leg_dossier_id_started_at" to table: "legs"
DROP INDEX `leg_dossier_id_started_at`;
-- reverse: set sequence for "legs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "legs";
-- reverse: create "legs" table
DROP TABLE `legs`;
-- reverse: create index "dossierevent_type_at" to table: "dossier_events"
DROP INDEX `dossierevent_type_at`;
-- reverse: create index "dossierevent_dossier_id_seq" to table: "dossier_events"
DROP INDEX `dossierevent_dossier_id_seq`;
-- reverse: set sequence for "dossier_events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "dossier_events";
-- reverse: create "dossier_events" table
DROP TABLE `dossier_events`;
-- reverse: create index "dossiercounter_agency_id_day" to table: "dossier_counters"
DROP INDEX `dossiercounter_agency_id_day`;
-- reverse: set sequence for "dossier_counters" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "dossier_counters";
-- reverse: create "dossier_counters" table
DROP TABLE `dossier_counters`;
-- reverse: create index "dossier_procedure_id" to table: "dossiers"
DROP INDEX `dossier_procedure_id`;
-- reverse: create index "dossier_state_appointment_at" to table: "dossiers"
DROP INDEX `dossier_state_appointment_at`;
-- reverse: create index "dossier_desk_agency_id_received_at" to table: "dossiers"
DROP INDEX `dossier_desk_agency_id_received_at`;
-- reverse: create index "dossier_source_external_code" to table: "dossiers"
DROP INDEX `dossier_source_external_code`;
-- reverse: create index "dossiers_code_key" to table: "dossiers"
DROP INDEX `dossiers_code_key`;
-- reverse: set sequence for "dossiers" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "dossiers";
-- reverse: create "dossiers" table
DROP TABLE `dossiers`;
-- reverse: set sequence for "delegations" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "delegations";
-- reverse: create "delegations" table
DROP TABLE `delegations`;
-- reverse: create index "calendar_days_date_key" to table: "calendar_days"
DROP INDEX `calendar_days_date_key`;
-- reverse: set sequence for "calendar_days" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "calendar_days";
-- reverse: create "calendar_days" table
DROP TABLE `calendar_days`;
-- reverse: create index "agencies_code_key" to table: "agencies"
DROP INDEX `agencies_code_key`;
-- reverse: create "agencies" table
DROP TABLE `agencies`;
