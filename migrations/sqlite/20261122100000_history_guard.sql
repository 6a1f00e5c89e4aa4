-- +goose Up
-- Written by hand: the history tables refuse rewriting at the database, so
-- neither a bug nor a direct SQL session can hide a late hand-over.
-- +goose StatementBegin
CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events BEGIN SELECT RAISE(ABORT, 'UPDATE on dossier_events refused: the table is append-only history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events BEGIN SELECT RAISE(ABORT, 'DELETE on dossier_events refused: the table is append-only history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outbox_messages_no_update BEFORE UPDATE ON outbox_messages BEGIN SELECT RAISE(ABORT, 'UPDATE on outbox_messages refused: the table is append-only history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outbox_messages_no_delete BEFORE DELETE ON outbox_messages BEGIN SELECT RAISE(ABORT, 'DELETE on outbox_messages refused: the table is append-only history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER form_records_no_update BEFORE UPDATE ON form_records BEGIN SELECT RAISE(ABORT, 'UPDATE on form_records refused: the table is append-only history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER form_records_no_delete BEFORE DELETE ON form_records BEGIN SELECT RAISE(ABORT, 'DELETE on form_records refused: the table is append-only history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER legs_no_delete BEFORE DELETE ON legs BEGIN SELECT RAISE(ABORT, 'DELETE on legs refused: legs are history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER legs_finished_frozen BEFORE UPDATE ON legs WHEN OLD.finished_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'UPDATE of a finished leg refused: legs are history'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER legs_start_frozen BEFORE UPDATE OF id, dossier_id, agency_id, role, position, started_at, allotted_minutes ON legs WHEN NEW.id IS NOT OLD.id OR NEW.dossier_id IS NOT OLD.dossier_id OR NEW.agency_id IS NOT OLD.agency_id OR NEW.role IS NOT OLD.role OR NEW.position IS NOT OLD.position OR NEW.started_at IS NOT OLD.started_at OR NEW.allotted_minutes IS NOT OLD.allotted_minutes BEGIN SELECT RAISE(ABORT, 'UPDATE of a leg refused: its start, agency and allotment are history'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dossier_events_no_update;
DROP TRIGGER dossier_events_no_delete;
DROP TRIGGER outbox_messages_no_update;
DROP TRIGGER outbox_messages_no_delete;
DROP TRIGGER form_records_no_update;
DROP TRIGGER form_records_no_delete;
DROP TRIGGER legs_start_frozen;
DROP TRIGGER legs_finished_frozen;
DROP TRIGGER legs_no_delete;
