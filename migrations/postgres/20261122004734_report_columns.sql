-- +goose Up
-- modify "legs" table
ALTER TABLE "legs" ADD COLUMN "worked_minutes" bigint NULL;
-- create index "leg_agency_id_started_at" to table: "legs"
CREATE INDEX "leg_agency_id_started_at" ON "legs" ("agency_id", "started_at");
-- create index "leg_started_at" to table: "legs"
CREATE INDEX "leg_started_at" ON "legs" ("started_at");
-- modify "dossiers" table
ALTER TABLE "dossiers" ADD COLUMN "judgement" character varying NULL, ADD COLUMN "processing_minutes" bigint NULL, ADD COLUMN "lead_agency_id" bigint NULL, ADD CONSTRAINT "dossiers_agencies_lead_agency" FOREIGN KEY ("lead_agency_id") REFERENCES "agencies" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- create index "dossier_finished_at" to table: "dossiers"
CREATE INDEX "dossier_finished_at" ON "dossiers" ("finished_at");
-- create index "dossier_lead_agency_id_received_at" to table: "dossiers"
CREATE INDEX "dossier_lead_agency_id_received_at" ON "dossiers" ("lead_agency_id", "received_at");
-- create index "dossier_received_at" to table: "dossiers"
CREATE INDEX "dossier_received_at" ON "dossiers" ("received_at");

-- +goose Down
-- reverse: create index "dossier_received_at" to table: "dossiers"
DROP INDEX "dossier_received_at";
-- reverse: create index "dossier_lead_agency_id_received_at" to table: "dossiers"
DROP INDEX "dossier_lead_agency_id_received_at";
-- reverse: create index "dossier_finished_at" to table: "dossiers"
DROP INDEX "dossier_finished_at";
-- reverse: modify "dossiers" table
ALTER TABLE "dossiers" DROP CONSTRAINT "dossiers_agencies_lead_agency", DROP COLUMN "lead_agency_id", DROP COLUMN "processing_minutes", DROP COLUMN "judgement";
-- reverse: create index "leg_started_at" to table: "legs"
DROP INDEX "leg_started_at";
-- reverse: create index "leg_agency_id_started_at" to table: "legs"
DROP INDEX "leg_agency_id_started_at";
-- reverse: modify "legs" table
ALTER TABLE "legs" DROP COLUMN "worked_minutes";
