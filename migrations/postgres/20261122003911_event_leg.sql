-- +goose Up
-- modify "dossier_events" table
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_legs_leg" FOREIGN KEY ("leg_id") REFERENCES "legs" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;

-- +goose Down
-- reverse: modify "dossier_events" table
ALTER TABLE "dossier_events" DROP CONSTRAINT "dossier_events_legs_leg";
