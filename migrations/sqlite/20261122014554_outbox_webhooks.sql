-- +goose Up
-- create "outbox_messages" table
CREATE TABLE `outbox_messages` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `event_id` integer NOT NULL, `dossier_id` integer NOT NULL, `seq` integer NOT NULL, `type` text NOT NULL, `agency_ids` json NOT NULL, `payload` json NOT NULL, `created_at` datetime NOT NULL);
-- set sequence for "outbox_messages" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("outbox_messages", 51539607552);
-- create index "outbox_messages_event_id_key" to table: "outbox_messages"
CREATE UNIQUE INDEX `outbox_messages_event_id_key` ON `outbox_messages` (`event_id`);
-- create index "outboxmessage_dossier_id_seq" to table: "outbox_messages"
CREATE INDEX `outboxmessage_dossier_id_seq` ON `outbox_messages` (`dossier_id`, `seq`);
-- create "webhooks" table
CREATE TABLE `webhooks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `create_time` datetime NOT NULL, `update_time` datetime NOT NULL, `url` text NOT NULL, `secret` text NOT NULL, `previous_secret` text NULL, `previous_secret_until` datetime NULL, `event_types` json NULL, `agency_ids` json NULL, `paused` bool NOT NULL DEFAULT (false), `created_by_id` integer NULL, CONSTRAINT `webhooks_officers_created_by` FOREIGN KEY (`created_by_id`) REFERENCES `officers` (`id`) ON DELETE SET NULL);
-- set sequence for "webhooks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhooks", 55834574848);
-- create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `dossier_id` integer NOT NULL, `dossier_code` text NOT NULL, `seq` integer NOT NULL, `event_type` text NOT NULL, `state` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `lease_until` datetime NULL, `last_status` integer NULL, `last_error` text NULL, `delivered_at` datetime NULL, `created_at` datetime NOT NULL, `webhook_id` integer NOT NULL, `message_id` integer NOT NULL, CONSTRAINT `webhook_deliveries_webhooks_deliveries` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE NO ACTION, CONSTRAINT `webhook_deliveries_outbox_messages_message` FOREIGN KEY (`message_id`) REFERENCES `outbox_messages` (`id`) ON DELETE NO ACTION);
-- set sequence for "webhook_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhook_deliveries", 60129542144);
-- create index "webhookdelivery_webhook_id_message_id" to table: "webhook_deliveries"
CREATE UNIQUE INDEX `webhookdelivery_webhook_id_message_id` ON `webhook_deliveries` (`webhook_id`, `message_id`);
-- create index "webhookdelivery_state_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_state_next_attempt_at` ON `webhook_deliveries` (`state`, `next_attempt_at`);
-- create index "webhookdelivery_webhook_id_dossier_id_seq" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_webhook_id_dossier_id_seq` ON `webhook_deliveries` (`webhook_id`, `dossier_id`, `seq`);
-- create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_webhook_id_created_at` ON `webhook_deliveries` (`webhook_id`, `created_at`);

-- +goose Down
-- reverse: create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_webhook_id_created_at`;
-- reverse: create index "webhookdelivery_webhook_id_dossier_id_seq" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_webhook_id_dossier_id_seq`;
-- reverse: create index "webhookdelivery_state_next_attempt_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_state_next_attempt_at`;
-- reverse: create index "webhookdelivery_webhook_id_message_id" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_webhook_id_message_id`;
-- reverse: set sequence for "webhook_deliveries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "webhook_deliveries";
-- reverse: create "webhook_deliveries" table
DROP TABLE `webhook_deliveries`;
-- reverse: set sequence for "webhooks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "webhooks";
-- reverse: create "webhooks" table
DROP TABLE `webhooks`;
-- reverse: create index "outboxmessage_dossier_id_seq" to table: "outbox_messages"
DROP INDEX `outboxmessage_dossier_id_seq`;
-- reverse: create index "outbox_messages_event_id_key" to table: "outbox_messages"
DROP INDEX `outbox_messages_event_id_key`;
-- reverse: set sequence for "outbox_messages" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "outbox_messages";
-- reverse: create "outbox_messages" table
DROP TABLE `outbox_messages`;
