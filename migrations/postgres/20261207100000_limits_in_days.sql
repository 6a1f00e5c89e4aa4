-- +goose Up
-- modify "legs" table
ALTER TABLE "legs" ADD COLUMN "allotted_days" bigint NOT NULL DEFAULT 0;
-- modify "procedures" table
ALTER TABLE "procedures" ADD COLUMN "legal_limit_days" bigint NOT NULL DEFAULT 0, ADD COLUMN "limit_days" bigint NOT NULL DEFAULT 0;
-- modify "route_steps" table
ALTER TABLE "route_steps" ADD COLUMN "allotted_days" bigint NOT NULL DEFAULT 0;
-- Written by hand: a leg's days are history, as its minutes are.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION lienthong_leg_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
     OR NEW.allotted_minutes IS DISTINCT FROM OLD.allotted_minutes OR NEW.allotted_days IS DISTINCT FROM OLD.allotted_days THEN
    RAISE EXCEPTION 'UPDATE of leg % refused: its start, agency and allotment are history', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION lienthong_leg_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- reverse: modify "route_steps" table
ALTER TABLE "route_steps" DROP COLUMN "allotted_days";
-- reverse: modify "procedures" table
ALTER TABLE "procedures" DROP COLUMN "limit_days", DROP COLUMN "legal_limit_days";
-- reverse: modify "legs" table
ALTER TABLE "legs" DROP COLUMN "allotted_days";
