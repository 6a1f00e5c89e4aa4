-- +goose Up
-- modify "dossiers" table
ALTER TABLE "dossiers" ADD COLUMN "digitized" boolean NOT NULL DEFAULT false, ADD COLUMN "paid_online" boolean NOT NULL DEFAULT false, ADD COLUMN "complained" boolean NOT NULL DEFAULT false;

-- +goose Down
-- reverse: modify "dossiers" table
ALTER TABLE "dossiers" DROP COLUMN "complained", DROP COLUMN "paid_online", DROP COLUMN "digitized";
