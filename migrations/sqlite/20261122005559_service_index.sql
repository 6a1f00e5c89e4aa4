-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_dossiers" table
CREATE TABLE `new_dossiers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `code` text NOT NULL, `external_code` text NULL, `source` text NULL, `intake_hash` text NOT NULL, `applicant_name` text NOT NULL, `applicant_id_number` text NOT NULL, `applicant_phone` text NOT NULL DEFAULT (''), `applicant_email` text NOT NULL DEFAULT (''), `applicant_address` text NOT NULL DEFAULT (''), `channel` text NOT NULL, `components` json NOT NULL, `digitized` bool NOT NULL DEFAULT (false), `paid_online` bool NOT NULL DEFAULT (false), `complained` bool NOT NULL DEFAULT (false), `state` text NOT NULL, `resume_state` text NULL, `submitted_at` datetime NOT NULL, `received_at` datetime NULL, `appointment_at` datetime NULL, `original_appointment_at` datetime NULL, `finished_at` datetime NULL, `completed_at` datetime NULL, `paused_at` datetime NULL, `paused_minutes` integer NOT NULL DEFAULT (0), `current_position` integer NOT NULL DEFAULT (0), `supplement_rounds` integer NOT NULL DEFAULT (0), `send_backs` integer NOT NULL DEFAULT (0), `apologized` bool NOT NULL DEFAULT (false), `overdue_at` datetime NULL, `due_soon_at` datetime NULL, `judgement` text NULL, `processing_minutes` integer NULL, `version` integer NOT NULL DEFAULT (1), `desk_agency_id` integer NOT NULL, `lead_agency_id` integer NULL, `procedure_id` integer NOT NULL, CONSTRAINT `dossiers_agencies_desk_agency` FOREIGN KEY (`desk_agency_id`) REFERENCES `agencies` (`id`) ON DELETE NO ACTION, CONSTRAINT `dossiers_agencies_lead_agency` FOREIGN KEY (`lead_agency_id`) REFERENCES `agencies` (`id`) ON DELETE SET NULL, CONSTRAINT `dossiers_procedures_dossiers` FOREIGN KEY (`procedure_id`) REFERENCES `procedures` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_dossiers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_dossiers", 12884901888);
-- copy rows from old table "dossiers" to new temporary table "new_dossiers"
INSERT INTO `new_dossiers` (`id`, `create_time`, `update_time`, `code`, `external_code`, `source`, `intake_hash`, `applicant_name`, `applicant_id_number`, `applicant_phone`, `applicant_email`, `applicant_address`, `channel`, `components`, `state`, `resume_state`, `submitted_at`, `received_at`, `appointment_at`, `original_appointment_at`, `finished_at`, `completed_at`, `paused_at`, `paused_minutes`, `current_position`, `supplement_rounds`, `send_backs`, `apologized`, `overdue_at`, `due_soon_at`, `judgement`, `processing_minutes`, `version`, `desk_agency_id`, `lead_agency_id`, `procedure_id`) SELECT `id`, `create_time`, `update_time`, `code`, `external_code`, `source`, `intake_hash`, `applicant_name`, `applicant_id_number`, `applicant_phone`, `applicant_email`, `applicant_address`, `channel`, `components`, `state`, `resume_state`, `submitted_at`, `received_at`, `appointment_at`, `original_appointment_at`, `finished_at`, `completed_at`, `paused_at`, `paused_minutes`, `current_position`, `supplement_rounds`, `send_backs`, `apologized`, `overdue_at`, `due_soon_at`, `judgement`, `processing_minutes`, `version`, `desk_agency_id`, `lead_agency_id`, `procedure_id` FROM `dossiers`;
-- drop "dossiers" table after copying rows
DROP TABLE `dossiers`;
-- rename temporary table "new_dossiers" to "dossiers"
ALTER TABLE `new_dossiers` RENAME TO `dossiers`;
-- create index "dossiers_code_key" to table: "dossiers"
CREATE UNIQUE INDEX `dossiers_code_key` ON `dossiers` (`code`);
-- create index "dossier_source_external_code" to table: "dossiers"
CREATE UNIQUE INDEX `dossier_source_external_code` ON `dossiers` (`source`, `external_code`);
-- create index "dossier_desk_agency_id_received_at" to table: "dossiers"
CREATE INDEX `dossier_desk_agency_id_received_at` ON `dossiers` (`desk_agency_id`, `received_at`);
-- create index "dossier_lead_agency_id_received_at" to table: "dossiers"
CREATE INDEX `dossier_lead_agency_id_received_at` ON `dossiers` (`lead_agency_id`, `received_at`);
-- create index "dossier_received_at" to table: "dossiers"
CREATE INDEX `dossier_received_at` ON `dossiers` (`received_at`);
-- create index "dossier_finished_at" to table: "dossiers"
CREATE INDEX `dossier_finished_at` ON `dossiers` (`finished_at`);
-- create index "dossier_state_appointment_at" to table: "dossiers"
CREATE INDEX `dossier_state_appointment_at` ON `dossiers` (`state`, `appointment_at`);
-- create index "dossier_procedure_id" to table: "dossiers"
CREATE INDEX `dossier_procedure_id` ON `dossiers` (`procedure_id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "dossier_procedure_id" to table: "dossiers"
DROP INDEX `dossier_procedure_id`;
-- reverse: create index "dossier_state_appointment_at" to table: "dossiers"
DROP INDEX `dossier_state_appointment_at`;
-- reverse: create index "dossier_finished_at" to table: "dossiers"
DROP INDEX `dossier_finished_at`;
-- reverse: create index "dossier_received_at" to table: "dossiers"
DROP INDEX `dossier_received_at`;
-- reverse: create index "dossier_lead_agency_id_received_at" to table: "dossiers"
DROP INDEX `dossier_lead_agency_id_received_at`;
-- reverse: create index "dossier_desk_agency_id_received_at" to table: "dossiers"
DROP INDEX `dossier_desk_agency_id_received_at`;
-- reverse: create index "dossier_source_external_code" to table: "dossiers"
DROP INDEX `dossier_source_external_code`;
-- reverse: create index "dossiers_code_key" to table: "dossiers"
DROP INDEX `dossiers_code_key`;
-- reverse: set sequence for "new_dossiers" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_dossiers";
-- reverse: create "new_dossiers" table
DROP TABLE `new_dossiers`;
