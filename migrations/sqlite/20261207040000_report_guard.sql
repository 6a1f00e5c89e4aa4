-- +goose Up
-- Written by hand: what the reports trust of a dossier and a leg is
-- refused rewriting at the database too: a dossier's code (once numbered:
-- intake writes a provisional "~…" code first), receipt and outcome are set
-- once. (A leg's due time may move either way: a supplementation under the
-- RESTART policy counts it again from the day the applicant came back.)
-- +goose StatementBegin
CREATE TRIGGER dossiers_outcome_frozen BEFORE UPDATE OF code, received_at, finished_at, judgement, processing_minutes ON dossiers
WHEN (NEW.code IS NOT OLD.code AND substr(OLD.code, 1, 1) <> '~')
  OR (OLD.received_at IS NOT NULL AND NEW.received_at IS NOT OLD.received_at)
  OR (OLD.finished_at IS NOT NULL AND NEW.finished_at IS NOT OLD.finished_at)
  OR (OLD.judgement IS NOT NULL AND NEW.judgement IS NOT OLD.judgement)
  OR (OLD.processing_minutes IS NOT NULL AND NEW.processing_minutes IS NOT OLD.processing_minutes)
BEGIN SELECT RAISE(ABORT, 'UPDATE of a dossier''s code, receipt or outcome refused: they are history'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dossiers_outcome_frozen;
