-- +goose Up
-- create "form_records" table
CREATE TABLE `form_records` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `form` text NOT NULL, `period_from` datetime NULL, `period_to` datetime NULL, `generated_at` datetime NOT NULL, `dossier_id` integer NULL, `agency_id` integer NULL, `officer_id` integer NULL, CONSTRAINT `form_records_dossiers_form_records` FOREIGN KEY (`dossier_id`) REFERENCES `dossiers` (`id`) ON DELETE SET NULL, CONSTRAINT `form_records_agencies_agency` FOREIGN KEY (`agency_id`) REFERENCES `agencies` (`id`) ON DELETE SET NULL, CONSTRAINT `form_records_officers_officer` FOREIGN KEY (`officer_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL);
-- set sequence for "form_records" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("form_records", 64424509440);
-- create index "formrecord_dossier_id_generated_at" to table: "form_records"
CREATE INDEX `formrecord_dossier_id_generated_at` ON `form_records` (`dossier_id`, `generated_at`);

-- +goose Down
-- reverse: create index "formrecord_dossier_id_generated_at" to table: "form_records"
DROP INDEX `formrecord_dossier_id_generated_at`;
-- reverse: set sequence for "form_records" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "form_records";
-- reverse: create "form_records" table
DROP TABLE `form_records`;
