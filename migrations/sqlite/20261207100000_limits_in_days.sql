-- +goose Up
-- Written by hand: columns added in place (the generated migration rebuilt
-- legs, which drops the history guard's triggers with the old table).
ALTER TABLE `legs` ADD COLUMN `allotted_days` integer NOT NULL DEFAULT (0);
ALTER TABLE `procedures` ADD COLUMN `legal_limit_days` integer NOT NULL DEFAULT (0);
ALTER TABLE `procedures` ADD COLUMN `limit_days` integer NOT NULL DEFAULT (0);
ALTER TABLE `route_steps` ADD COLUMN `allotted_days` integer NOT NULL DEFAULT (0);
-- A leg's days are history, as its minutes are.
DROP TRIGGER legs_start_frozen;
-- +goose StatementBegin
CREATE TRIGGER legs_start_frozen BEFORE UPDATE OF id, dossier_id, agency_id, role, position, started_at, allotted_minutes, allotted_days ON legs WHEN NEW.id IS NOT OLD.id OR NEW.dossier_id IS NOT OLD.dossier_id OR NEW.agency_id IS NOT OLD.agency_id OR NEW.role IS NOT OLD.role OR NEW.position IS NOT OLD.position OR NEW.started_at IS NOT OLD.started_at OR NEW.allotted_minutes IS NOT OLD.allotted_minutes OR NEW.allotted_days IS NOT OLD.allotted_days BEGIN SELECT RAISE(ABORT, 'UPDATE of a leg refused: its start, agency and allotment are history'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER legs_start_frozen;
-- +goose StatementBegin
CREATE TRIGGER legs_start_frozen BEFORE UPDATE OF id, dossier_id, agency_id, role, position, started_at, allotted_minutes ON legs WHEN NEW.id IS NOT OLD.id OR NEW.dossier_id IS NOT OLD.dossier_id OR NEW.agency_id IS NOT OLD.agency_id OR NEW.role IS NOT OLD.role OR NEW.position IS NOT OLD.position OR NEW.started_at IS NOT OLD.started_at OR NEW.allotted_minutes IS NOT OLD.allotted_minutes BEGIN SELECT RAISE(ABORT, 'UPDATE of a leg refused: its start, agency and allotment are history'); END;
-- +goose StatementEnd
ALTER TABLE `route_steps` DROP COLUMN `allotted_days`;
ALTER TABLE `procedures` DROP COLUMN `limit_days`;
ALTER TABLE `procedures` DROP COLUMN `legal_limit_days`;
ALTER TABLE `legs` DROP COLUMN `allotted_days`;
