-- +goose Up
-- Written by hand: what the reports trust of a dossier and a leg is
-- refused rewriting at the database too: a dossier's code (once numbered:
-- intake writes a provisional "~…" code first), receipt and outcome are set
-- once. (A leg's due time may move either way: a supplementation under the
-- RESTART policy counts it again from the day the applicant came back.)
-- +goose StatementBegin
CREATE FUNCTION lienthong_dossier_outcome_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.code IS DISTINCT FROM OLD.code AND left(OLD.code, 1) <> '~')
     OR (OLD.received_at IS NOT NULL AND NEW.received_at IS DISTINCT FROM OLD.received_at)
     OR (OLD.finished_at IS NOT NULL AND NEW.finished_at IS DISTINCT FROM OLD.finished_at)
     OR (OLD.judgement IS NOT NULL AND NEW.judgement IS DISTINCT FROM OLD.judgement)
     OR (OLD.processing_minutes IS NOT NULL AND NEW.processing_minutes IS DISTINCT FROM OLD.processing_minutes) THEN
    RAISE EXCEPTION 'UPDATE of dossier %''s code, receipt or outcome refused: they are history', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER dossiers_outcome_frozen BEFORE UPDATE OF code, received_at, finished_at, judgement, processing_minutes ON dossiers
  FOR EACH ROW EXECUTE FUNCTION lienthong_dossier_outcome_guard();
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dossiers_outcome_frozen ON dossiers;
DROP FUNCTION lienthong_dossier_outcome_guard();
