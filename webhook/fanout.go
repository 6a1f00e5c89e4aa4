package webhook

import (
	"context"
	"fmt"
	"slices"
	"time"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/webhook"
	"lienthong/outbox"
)

// DeliveryWindow is how long a webhook delivery is retried before it is
// dead-lettered.
const DeliveryWindow = 24 * time.Hour

// Fanout queues a delivery of each message to every webhook that wants it,
// in the message's transaction (outbox.Fanout): a committed event is
// always delivered, at least once.
func (s *Service) Fanout(ctx context.Context, tx *ent.Tx, sent []outbox.Sent) error {
	ctx = auth.SystemContext(ctx)
	hooks, err := s.subscriptions(ctx, tx)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var deliveries []*ent.WebhookDeliveryCreate
	for _, x := range sent {
		m := x.Message
		for _, h := range hooks {
			if !wants(h, m.Type, m.AgencyIds) {
				continue
			}
			deliveries = append(deliveries, tx.WebhookDelivery.Create().
				SetWebhookID(h.ID).
				SetMessageID(m.ID).
				SetDossierID(m.DossierID).
				SetDossierCode(x.DossierCode).
				SetSeq(m.Seq).
				SetEventType(m.Type).
				SetNextAttemptAt(m.CreatedAt).
				SetExpiresAt(m.CreatedAt.Add(DeliveryWindow)).
				SetCreatedAt(m.CreatedAt))
		}
	}
	// At most 1,000 rows a statement: SQLite binds at most 32,766 values.
	for batch := range slices.Chunk(deliveries, 1000) {
		if err := tx.WebhookDelivery.CreateBulk(batch...).Exec(ctx); err != nil {
			if ent.IsConstraintError(err) { // a webhook deleted since read?
				s.subs.Forget()
				return fmt.Errorf("webhook: fan-out: %w (%w)", err, outbox.ErrStale)
			}
			return fmt.Errorf("webhook: fan-out: %w", err)
		}
	}
	return nil
}

// wants reports whether webhook h subscribes to an event of type typ on a
// dossier concerning agencies.
func wants(h *ent.Webhook, typ string, agencies []int) bool {
	if len(h.EventTypes) > 0 && !slices.Contains(h.EventTypes, typ) {
		return false
	}
	return len(h.AgencyIds) == 0 || slices.ContainsFunc(h.AgencyIds, func(id int) bool { return slices.Contains(agencies, id) })
}

// subscriptions are the webhooks an event may go to, as read within
// Config.CacheTTL, or read afresh through tx: never through another pooled
// connection, which a transaction holding a desk's counter would wait for
// while the transactions queued behind that counter hold the pool.
func (s *Service) subscriptions(ctx context.Context, tx *ent.Tx) ([]*ent.Webhook, error) {
	return s.subs.Get(struct{}{}, func() ([]*ent.Webhook, error) {
		hooks, err := tx.Webhook.Query().Select(webhook.FieldID, webhook.FieldEventTypes, webhook.FieldAgencyIds).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("webhook: subscriptions: %w", err)
		}
		return hooks, nil
	})
}
