-- +goose Up
-- drop index "rollup_kind_day_agency_id_procedure_id" from table: "rollups"
DROP INDEX "rollup_kind_day_agency_id_procedure_id";
-- modify "rollups" table
ALTER TABLE "rollups" ADD COLUMN "shard" bigint NOT NULL DEFAULT 0;
-- create index "rollup_kind_day_agency_id_procedure_id_shard" to table: "rollups"
CREATE UNIQUE INDEX "rollup_kind_day_agency_id_procedure_id_shard" ON "rollups" ("kind", "day", "agency_id", "procedure_id", "shard");

-- +goose Down
-- reverse: create index "rollup_kind_day_agency_id_procedure_id_shard" to table: "rollups"
DROP INDEX "rollup_kind_day_agency_id_procedure_id_shard";
-- reverse: modify "rollups" table
ALTER TABLE "rollups" DROP COLUMN "shard";
-- reverse: drop index "rollup_kind_day_agency_id_procedure_id" from table: "rollups"
CREATE UNIQUE INDEX "rollup_kind_day_agency_id_procedure_id" ON "rollups" ("kind", "day", "agency_id", "procedure_id");
