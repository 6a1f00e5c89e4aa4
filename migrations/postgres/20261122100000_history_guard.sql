-- +goose Up
-- Written by hand: the history tables refuse rewriting at the database, so
-- neither a bug nor a direct SQL session can hide a late hand-over.
-- +goose StatementBegin
CREATE FUNCTION lienthong_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % refused: the table is append-only history', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION lienthong_leg_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'DELETE on legs refused: legs are history' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.finished_at IS NOT NULL THEN
    RAISE EXCEPTION 'UPDATE of finished leg % refused: legs are history', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.dossier_id IS DISTINCT FROM OLD.dossier_id
     OR NEW.agency_id IS DISTINCT FROM OLD.agency_id OR NEW.role IS DISTINCT FROM OLD.role
     OR NEW.position IS DISTINCT FROM OLD.position OR NEW.started_at IS DISTINCT FROM OLD.started_at
     OR NEW.allotted_minutes IS DISTINCT FROM OLD.allotted_minutes THEN
    RAISE EXCEPTION 'UPDATE of leg % refused: its start, agency and allotment are history', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER dossier_events_append_only BEFORE UPDATE OR DELETE ON dossier_events FOR EACH ROW EXECUTE FUNCTION lienthong_append_only();
CREATE TRIGGER dossier_events_no_truncate BEFORE TRUNCATE ON dossier_events FOR EACH STATEMENT EXECUTE FUNCTION lienthong_append_only();
CREATE TRIGGER outbox_messages_append_only BEFORE UPDATE OR DELETE ON outbox_messages FOR EACH ROW EXECUTE FUNCTION lienthong_append_only();
CREATE TRIGGER outbox_messages_no_truncate BEFORE TRUNCATE ON outbox_messages FOR EACH STATEMENT EXECUTE FUNCTION lienthong_append_only();
CREATE TRIGGER form_records_append_only BEFORE UPDATE OR DELETE ON form_records FOR EACH ROW EXECUTE FUNCTION lienthong_append_only();
CREATE TRIGGER form_records_no_truncate BEFORE TRUNCATE ON form_records FOR EACH STATEMENT EXECUTE FUNCTION lienthong_append_only();
CREATE TRIGGER legs_history BEFORE UPDATE OR DELETE ON legs FOR EACH ROW EXECUTE FUNCTION lienthong_leg_guard();
CREATE TRIGGER legs_no_truncate BEFORE TRUNCATE ON legs FOR EACH STATEMENT EXECUTE FUNCTION lienthong_append_only();

-- +goose Down
DROP TRIGGER legs_no_truncate ON legs;
DROP TRIGGER legs_history ON legs;
DROP TRIGGER form_records_no_truncate ON form_records;
DROP TRIGGER form_records_append_only ON form_records;
DROP TRIGGER outbox_messages_no_truncate ON outbox_messages;
DROP TRIGGER outbox_messages_append_only ON outbox_messages;
DROP TRIGGER dossier_events_no_truncate ON dossier_events;
DROP TRIGGER dossier_events_append_only ON dossier_events;
DROP FUNCTION lienthong_leg_guard();
DROP FUNCTION lienthong_append_only();
