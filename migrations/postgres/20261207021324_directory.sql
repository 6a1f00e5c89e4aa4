-- +goose Up
-- modify "agencies" table
ALTER TABLE "agencies" ADD COLUMN "kind" character varying NULL;
-- modify "procedures" table
ALTER TABLE "procedures" ADD COLUMN "submission" boolean NOT NULL DEFAULT false;

-- +goose Down
-- reverse: modify "procedures" table
ALTER TABLE "procedures" DROP COLUMN "submission";
-- reverse: modify "agencies" table
ALTER TABLE "agencies" DROP COLUMN "kind";
