-- +goose Up
-- drop index "dossier_state_appointment_at" from table: "dossiers"
DROP INDEX `dossier_state_appointment_at`;
-- create index "dossier_appointment_at" to table: "dossiers"
CREATE INDEX `dossier_appointment_at` ON `dossiers` (`appointment_at`) WHERE finished_at IS NULL;

-- +goose Down
-- reverse: create index "dossier_appointment_at" to table: "dossiers"
DROP INDEX `dossier_appointment_at`;
-- reverse: drop index "dossier_state_appointment_at" from table: "dossiers"
CREATE INDEX `dossier_state_appointment_at` ON `dossiers` (`state`, `appointment_at`);
