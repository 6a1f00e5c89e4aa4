// Package webhook delivers the outbound dossier events to the systems that
// subscribed to them (the one-stop electronic system, the national portal):
// subscriptions and their secrets, and a dispatcher that sends each pending
// delivery at least once, in order per dossier, signed per the Standard
// Webhooks scheme, retrying with backoff for 24 hours before it
// dead-letters. Deliveries are rows written in the event's own transaction
// (see workflow's outbox), so any number of server instances on one
// database share the work and nothing committed is lost.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"time"

	"lienthong/ent/schema/schematype"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/webhook"
	"lienthong/ent/webhookdelivery"
	"lienthong/problem"
)

// RotationOverlap is how long requests stay signed with the previous
// secret too after a rotation, so receivers can switch without a gap.
const RotationOverlap = 24 * time.Hour

// admin checks the caller is an administrator.
func admin(ctx context.Context) (*auth.Viewer, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !v.HasRole(auth.RoleAdmin) {
		return nil, &problem.Error{Code: problem.CodeForbidden, Message: "webhooks are managed by administrators"}
	}
	return v, nil
}

// newSecret returns a fresh signing secret: whsec_ and 32 random bytes in
// base64, as the Standard Webhooks scheme writes them.
func newSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}

// Secret is a webhook with its secret, returned only when it is made.
type Secret struct {
	Webhook *ent.Webhook
	Secret  string
}

// CreateInput asks for a webhook.
type CreateInput struct {
	URL        string
	EventTypes []string // DossierEvent types; empty for all
	AgencyIDs  []int    // empty for all
}

// Create subscribes a URL and returns the webhook with its secret, which
// is not shown again.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Secret, error) {
	v, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	if in.URL, err = problem.URLText.Check("url", in.URL); err != nil {
		return nil, err
	}
	if err := problem.Count("eventTypes", len(in.EventTypes), problem.MaxEventTypes); err != nil {
		return nil, err
	}
	if err := problem.Count("agencyIDs", len(in.AgencyIDs), problem.MaxIDs); err != nil {
		return nil, err
	}
	for _, t := range in.EventTypes {
		if !slices.Contains(schematype.DossierEventType("").Values(), t) {
			return nil, problem.BadInput("eventTypes", "unknown event type %q", problem.Clip(t, 32))
		}
	}
	// Last of the checks: it may ask DNS, so a request the cheap checks
	// refuse never waits on the network.
	if err := s.checkURL(ctx, in.URL); err != nil {
		return nil, err
	}
	slices.Sort(in.EventTypes)
	in.EventTypes = slices.Compact(in.EventTypes)
	slices.Sort(in.AgencyIDs)
	in.AgencyIDs = slices.Compact(in.AgencyIDs)
	sys := auth.SystemContext(ctx)
	if n, err := s.client.Agency.Query().Where(agency.IDIn(in.AgencyIDs...)).Count(sys); err != nil {
		return nil, err
	} else if n != len(in.AgencyIDs) {
		return nil, problem.BadInput("agencyIDs", "unknown agency")
	}
	secret := newSecret()
	create := s.client.Webhook.Create().
		SetURL(in.URL).
		SetSecret(s.cfg.Keys.seal(secret)).
		SetEventTypes(in.EventTypes).
		SetAgencyIds(in.AgencyIDs)
	if v.OfficerID != 0 {
		create.SetCreatedByID(v.OfficerID)
	}
	h, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: create: %w", err)
	}
	s.changed()
	s.log.InfoContext(ctx, "webhook created", "webhook", h.ID, "by", v.Subject)
	return &Secret{Webhook: h, Secret: secret}, nil
}

// checkURL refuses what a webhook may not be: not https (outside dev mode
// and tests), with credentials, or to a host that is or resolves to an
// internal address (the dispatcher checks again at every connection).
func (s *Service) checkURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || len(raw) > 2048 {
		return problem.BadInput("url", "not an absolute URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && s.cfg.AllowHTTP:
	default:
		return problem.BadInput("url", "webhooks are delivered over https")
	}
	if u.User != nil {
		return problem.BadInput("url", "credentials in the URL are not accepted: verify the signature instead")
	}
	if err := s.guard.checkHost(ctx, u.Hostname()); err != nil {
		return problem.BadInput("url", "%s", err)
	}
	return nil
}

// get loads a webhook for an administrator.
func (s *Service) get(ctx context.Context, id int) (*ent.Webhook, error) {
	if _, err := admin(ctx); err != nil {
		return nil, err
	}
	h, err := s.client.Webhook.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no webhook with id %d", id)
	}
	return h, err
}

// RotateSecret gives the webhook a new secret, returned once. Requests
// carry a second signature with the previous one for RotationOverlap.
func (s *Service) RotateSecret(ctx context.Context, id int) (*Secret, error) {
	h, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	secret := newSecret()
	h, err = h.Update().
		SetSecret(s.cfg.Keys.seal(secret)).
		SetPreviousSecret(h.Secret).
		SetPreviousSecretUntil(s.cfg.Clock.Now().Add(RotationOverlap)).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: rotate: %w", err)
	}
	return &Secret{Webhook: h, Secret: secret}, nil
}

// Reseal stores every webhook secret as the first of the configured keys
// would: encrypted with it, or in clear when no key is configured. Run at
// start-up, it encrypts secrets stored before WEBHOOK_KEYS was set and
// moves them to a new first key; the old key can then be dropped. Several
// instances may run it at once, and rotations may happen meanwhile: each
// rewrite applies only if the secrets are still those it read. A secret no
// configured key opens is left as it is, and logged: the dispatcher will
// not sign with it. It returns how many webhooks it rewrote.
func (s *Service) Reseal(ctx context.Context) (int, error) {
	ctx = auth.SystemContext(ctx)
	hooks, err := s.client.Webhook.Query().All(ctx)
	if err != nil {
		return 0, fmt.Errorf("webhook: reseal: %w", err)
	}
	n := 0
	for _, h := range hooks {
		if s.cfg.Keys.current(h.Secret) && (h.PreviousSecret == "" || s.cfg.Keys.current(h.PreviousSecret)) {
			continue
		}
		secret, err := s.cfg.Keys.open(h.Secret)
		if err != nil {
			s.log.ErrorContext(ctx, "webhook: cannot reseal the secret", "webhook", h.ID, "err", err)
			continue
		}
		u := s.client.Webhook.Update().
			Where(webhook.ID(h.ID), webhook.Secret(h.Secret)).
			SetSecret(s.cfg.Keys.seal(secret))
		if h.PreviousSecret != "" {
			u.Where(webhook.PreviousSecret(h.PreviousSecret))
			// An expired previous secret is never used again: a key that
			// no longer opens it does not matter.
			if prev, err := s.cfg.Keys.open(h.PreviousSecret); err == nil {
				u.SetPreviousSecret(s.cfg.Keys.seal(prev))
			} else {
				u.SetPreviousSecret("")
			}
		}
		changed, err := u.Save(ctx)
		if err != nil {
			return n, fmt.Errorf("webhook %d: reseal: %w", h.ID, err)
		}
		n += changed
	}
	return n, nil
}

// SetPaused pauses or resumes a webhook. A paused webhook keeps its
// deliveries pending; on resume they get a fresh 24 hours.
func (s *Service) SetPaused(ctx context.Context, id int, paused bool) (*ent.Webhook, error) {
	h, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	h, err = tx.Webhook.UpdateOne(h).SetPaused(paused).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: pause: %w", err)
	}
	if !paused {
		now := s.cfg.Clock.Now()
		err = tx.WebhookDelivery.Update().
			Where(webhookdelivery.WebhookID(id), webhookdelivery.StateEQ(webhookdelivery.StatePending)).
			SetExpiresAt(now.Add(DeliveryWindow)).
			SetNextAttemptAt(now).
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("webhook: resume: %w", err)
		}
	}
	return h, tx.Commit()
}

// Sealing reports whether secrets are encrypted at rest (Config.Keys).
func (s *Service) Sealing() bool { return s.cfg.Keys != nil }

// Delete removes a webhook and its delivery history.
func (s *Service) Delete(ctx context.Context, id int) error {
	if _, err := s.get(ctx, id); err != nil {
		return err
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.WebhookDelivery.Delete().Where(webhookdelivery.WebhookID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("webhook: delete: %w", err)
	}
	if err := tx.Webhook.DeleteOneID(id).Exec(ctx); err != nil {
		return fmt.Errorf("webhook: delete: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.changed()
	return nil
}

// changed makes the next fan-out read the subscriptions again.
func (s *Service) changed() {
	s.subs.Forget()
}

// Webhooks lists the subscriptions.
func (s *Service) Webhooks(ctx context.Context) ([]*ent.Webhook, error) {
	if _, err := admin(ctx); err != nil {
		return nil, err
	}
	return s.client.Webhook.Query().Order(ent.Asc(webhook.FieldID)).All(ctx)
}

// Deliveries lists deliveries, newest first, of one webhook or all, in one
// state or all.
func (s *Service) Deliveries(ctx context.Context, webhookID *int, state *webhookdelivery.State) (*ent.WebhookDeliveryQuery, error) {
	if _, err := admin(ctx); err != nil {
		return nil, err
	}
	q := s.client.WebhookDelivery.Query()
	if webhookID != nil {
		q.Where(webhookdelivery.WebhookID(*webhookID))
	}
	if state != nil {
		q.Where(webhookdelivery.StateEQ(*state))
	}
	return q, nil
}

// Redeliver sends a delivery again (a dead one, or a delivered one the
// receiver lost), with a fresh 24 hours of retries.
func (s *Service) Redeliver(ctx context.Context, id int) (*ent.WebhookDelivery, error) {
	if _, err := admin(ctx); err != nil {
		return nil, err
	}
	now := s.cfg.Clock.Now()
	n, err := s.client.WebhookDelivery.Update().
		Where(webhookdelivery.ID(id), webhookdelivery.StateNEQ(webhookdelivery.StatePending)).
		SetState(webhookdelivery.StatePending).
		SetAttempts(0).
		SetNextAttemptAt(now).
		SetExpiresAt(now.Add(DeliveryWindow)).
		ClearLeaseUntil().
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: redeliver: %w", err)
	}
	d, err := s.client.WebhookDelivery.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("no webhook delivery with id %d", id)
	}
	if err == nil && n == 0 {
		return nil, &problem.Error{Code: problem.CodeConflict, Message: "the delivery is pending already"}
	}
	s.wake()
	return d, err
}
