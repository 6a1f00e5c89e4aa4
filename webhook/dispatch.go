package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/prometheus/client_golang/prometheus"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/predicate"
	"lienthong/ent/webhook"
	"lienthong/ent/webhookdelivery"
	"lienthong/store"
)

// Config tunes the dispatcher.
type Config struct {
	Clock calendar.Clock // when deliveries are due; the system clock by default
	// Timeout bounds one request, from connecting to the end of the
	// answer (10 s).
	Timeout time.Duration
	Poll    time.Duration // how often to look for due deliveries (1 s)
	// Lease is how long a claimed delivery is held (1 min); it is at least
	// Timeout + LeaseMargin, so that no other dispatcher takes a delivery
	// whose request is still in flight.
	Lease time.Duration
	// PerWebhook bounds the requests in flight to one webhook (4). Each
	// webhook has its own: a slow receiver holds up only itself.
	PerWebhook int
	AllowHTTP  bool // accept http:// URLs (dev mode, tests)
	// AllowNetworks are the internal networks webhooks may reach
	// nonetheless (WEBHOOK_ALLOW_NETWORKS): a province's receivers on its
	// private network. Loopback in dev mode and tests. Every other
	// internal address (loopback, private, link-local, unique-local,
	// metadata, reserved) is refused at registration and at connection.
	AllowNetworks []netip.Prefix
	// Resolve turns a host name into its addresses, at registration and
	// at every connection (default: the system's resolver).
	Resolve  func(ctx context.Context, host string) ([]netip.Addr, error)
	Logger   *slog.Logger
	Registry prometheus.Registerer // where the metrics go; none when nil
	Keys     *Keys                 // encrypt secrets at rest; nil stores them in clear
	// CacheTTL bounds how long Fanout reuses what it read of the
	// subscriptions (default 1 s): a webhook created or deleted through
	// this process applies at once, through another instance within it.
	CacheTTL time.Duration
}

// LeaseMargin is how much longer than a request a claimed delivery is held
// at least: a claim, the request, recording its outcome and the clocks of
// the instances drifting apart fit in it.
const LeaseMargin = 30 * time.Second

// Service manages webhooks and dispatches their deliveries.
type Service struct {
	client  *ent.Client
	subs    *store.Fresh[struct{}, []*ent.Webhook] // the subscriptions, for Fanout
	cfg     Config
	guard   *guard
	http    *http.Client
	log     *slog.Logger
	wakeup  chan struct{}
	metrics metrics
}

type metrics struct {
	delivered, failed, dead prometheus.Counter
	lag                     prometheus.Histogram
}

// New returns the webhook service on client.
func New(client *ent.Client, cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = calendar.SystemClock{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	cfg.Lease = max(cfg.Lease, cfg.Timeout+LeaseMargin)
	if cfg.PerWebhook <= 0 {
		cfg.PerWebhook = 4
	}
	if cfg.Resolve == nil {
		cfg.Resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = time.Second
	}
	attempts := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lienthong_webhook_attempts_total",
		Help: "Webhook delivery attempts by result: delivered, failed (to be retried) or dead (retries exhausted).",
	}, []string{"result"})
	lag := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "lienthong_webhook_lag_seconds",
		Help:    "Time from an event to its successful delivery.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400},
	})
	if cfg.Registry != nil {
		cfg.Registry.MustRegister(attempts, lag)
	}
	g := &guard{allow: cfg.AllowNetworks, resolve: cfg.Resolve}
	return &Service{
		client: client,
		subs:   store.NewFresh[struct{}, []*ent.Webhook](cfg.CacheTTL),
		cfg:    cfg,
		guard:  g,
		http:   newClient(g, cfg.Timeout),
		log:    cfg.Logger,
		wakeup: make(chan struct{}, 1),
		metrics: metrics{
			delivered: attempts.WithLabelValues("delivered"),
			failed:    attempts.WithLabelValues("failed"),
			dead:      attempts.WithLabelValues("dead"),
			lag:       lag,
		},
	}
}

// wake makes a running dispatcher look for work now.
func (s *Service) wake() {
	select {
	case s.wakeup <- struct{}{}:
	default:
	}
}

// Run dispatches until ctx ends: each webhook with deliveries due has its
// own loop (serveWebhook), so that a slow or unreachable receiver delays
// only its own deliveries. Every Poll, and when woken, it starts the loops
// of the webhooks that have work and nudges those running.
func (s *Service) Run(ctx context.Context) {
	ctx = auth.SystemContext(ctx)
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	loops := map[int]chan struct{}{} // webhook → its running loop's nudge
	ended := make(chan int)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		ids, err := s.dueWebhooks(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "webhook dispatch", "err", err)
		}
		for _, id := range ids {
			if nudge, ok := loops[id]; ok {
				select {
				case nudge <- struct{}{}:
				default:
				}
				continue
			}
			nudge := make(chan struct{}, 1)
			loops[id] = nudge
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.serveWebhook(ctx, id, nudge)
				select {
				case ended <- id:
				case <-ctx.Done():
				}
			}()
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-ended:
				// Not looked for again at once: what the loop could
				// not claim is not due yet.
				delete(loops, id)
			case <-t.C:
				break wait
			case <-s.wakeup:
				break wait
			}
		}
	}
}

// serveWebhook keeps up to PerWebhook requests to one webhook in flight,
// claiming a delivery only when it can send it at once (so that its lease
// runs from its request), until nothing of the webhook's is left to claim
// and nothing is in flight.
func (s *Service) serveWebhook(ctx context.Context, id int, nudge <-chan struct{}) {
	done := make(chan struct{}, s.cfg.PerWebhook)
	running := 0
	defer func() {
		for ; running > 0; running-- {
			<-done
		}
	}()
	for {
		if running < s.cfg.PerWebhook {
			claimed, err := s.claim(ctx, id, s.cfg.PerWebhook-running)
			if err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "webhook dispatch", "webhook", id, "err", err)
			}
			for _, d := range claimed {
				running++
				go func() {
					s.attempt(ctx, d)
					done <- struct{}{}
				}()
			}
			if running == 0 {
				return
			}
		}
		// A dossier's next event becomes due when the one before it is
		// delivered: look again as requests end (all those ended by then
		// at once, so that a busy webhook claims in batches).
		select {
		case <-done:
			running--
			for ended := true; ended; {
				select {
				case <-done:
					running--
				default:
					ended = false
				}
			}
		case <-nudge:
		case <-ctx.Done():
			return
		}
	}
}

// due are the conditions of a delivery to send now: pending, its time
// come, not leased, its webhook not paused, and the oldest pending one of
// its dossier for its webhook, so that a dossier's events arrive in order.
func due(now time.Time) []predicate.WebhookDelivery {
	return []predicate.WebhookDelivery{
		webhookdelivery.StateEQ(webhookdelivery.StatePending),
		webhookdelivery.NextAttemptAtLTE(now),
		webhookdelivery.Or(webhookdelivery.LeaseUntilIsNil(), webhookdelivery.LeaseUntilLT(now)),
		webhookdelivery.HasWebhookWith(webhook.Paused(false)),
		func(s *entsql.Selector) {
			// No earlier pending delivery of the same dossier to the same webhook.
			p := entsql.Table(webhookdelivery.Table).As("p")
			s.Where(entsql.NotExists(entsql.Select(p.C(webhookdelivery.FieldID)).From(p).Where(entsql.And(
				entsql.ColumnsEQ(p.C(webhookdelivery.FieldWebhookID), s.C(webhookdelivery.FieldWebhookID)),
				entsql.ColumnsEQ(p.C(webhookdelivery.FieldDossierID), s.C(webhookdelivery.FieldDossierID)),
				entsql.ColumnsLT(p.C(webhookdelivery.FieldSeq), s.C(webhookdelivery.FieldSeq)),
				entsql.EQ(p.C(webhookdelivery.FieldState), webhookdelivery.StatePending),
			))))
		},
	}
}

// dueWebhooks lists the webhooks with a delivery to send now.
func (s *Service) dueWebhooks(ctx context.Context) ([]int, error) {
	ids, err := s.client.WebhookDelivery.Query().
		Where(due(s.cfg.Clock.Now())...).
		Unique(true).
		Select(webhookdelivery.FieldWebhookID).
		Ints(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: due deliveries: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// claim leases up to n of one webhook's deliveries due now, oldest first.
// Each is claimed with a conditional update: of several dispatchers
// (server instances) exactly one gets it.
func (s *Service) claim(ctx context.Context, webhookID, n int) ([]*ent.WebhookDelivery, error) {
	now := s.cfg.Clock.Now()
	found, err := s.client.WebhookDelivery.Query().
		Where(append(due(now), webhookdelivery.WebhookID(webhookID))...).
		Order(ent.Asc(webhookdelivery.FieldNextAttemptAt), ent.Asc(webhookdelivery.FieldID)).
		Limit(n).
		WithWebhook().
		WithMessage().
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: due deliveries: %w", err)
	}
	var claimed []*ent.WebhookDelivery
	until := now.Add(s.cfg.Lease)
	for _, d := range found {
		n, err := s.client.WebhookDelivery.Update().
			Where(webhookdelivery.ID(d.ID), webhookdelivery.StateEQ(webhookdelivery.StatePending),
				webhookdelivery.Or(webhookdelivery.LeaseUntilIsNil(), webhookdelivery.LeaseUntilLT(now))).
			SetLeaseUntil(until).
			Save(ctx)
		if err != nil {
			return claimed, fmt.Errorf("webhook: claim: %w", err)
		}
		if n == 1 {
			claimed = append(claimed, d)
		}
	}
	return claimed, nil
}

// DispatchOnce sends, for every webhook at once, up to PerWebhook of its
// deliveries due now, and returns how many it attempted once each is
// recorded. Run does the same continuously; tests and tools call this.
func (s *Service) DispatchOnce(ctx context.Context) (int, error) {
	ctx = auth.SystemContext(ctx)
	ids, err := s.dueWebhooks(ctx)
	if err != nil {
		return 0, err
	}
	var claimed []*ent.WebhookDelivery
	for _, id := range ids {
		var c []*ent.WebhookDelivery
		c, err = s.claim(ctx, id, s.cfg.PerWebhook)
		claimed = append(claimed, c...)
		if err != nil {
			break
		}
	}
	// What was claimed is sent at once, even after an error.
	var wg sync.WaitGroup
	for _, d := range claimed {
		wg.Go(func() { s.attempt(ctx, d) })
	}
	wg.Wait()
	return len(claimed), err
}

// attempt sends one delivery and records the outcome.
func (s *Service) attempt(ctx context.Context, d *ent.WebhookDelivery) {
	h, m := d.Edges.Webhook, d.Edges.Message
	status, err := s.send(ctx, h, m)
	now := s.cfg.Clock.Now()
	upd := s.client.WebhookDelivery.UpdateOneID(d.ID).
		AddAttempts(1).
		ClearLeaseUntil()
	if status != 0 {
		upd.SetLastStatus(status)
	} else {
		upd.ClearLastStatus() // no answer this time
	}
	switch err {
	case nil:
		upd.SetState(webhookdelivery.StateDelivered).SetDeliveredAt(now).SetLastError("")
		s.metrics.delivered.Inc()
		s.metrics.lag.Observe(now.Sub(m.CreatedAt).Seconds())
	default:
		next := now.Add(Backoff(d.Attempts + 1))
		// What every administrator reads names no address; the log
		// has the whole error.
		msg := err.Error()
		if re := (*requestError)(nil); errors.As(err, &re) {
			msg = publicError(re.err)
		}
		if len(msg) > 500 {
			msg = msg[:500]
		}
		upd.SetLastError(msg).SetNextAttemptAt(next)
		if next.After(d.ExpiresAt) {
			upd.SetState(webhookdelivery.StateDead)
			s.metrics.dead.Inc()
			s.log.WarnContext(ctx, "webhook delivery dead-lettered", "webhook", h.ID, "dossier", d.DossierCode, "seq", d.Seq, "attempts", d.Attempts+1, "err", err)
		} else {
			s.metrics.failed.Inc()
			s.log.DebugContext(ctx, "webhook delivery failed", "webhook", h.ID, "dossier", d.DossierCode, "seq", d.Seq, "attempts", d.Attempts+1, "err", err)
		}
	}
	if err := upd.Exec(ctx); err != nil {
		// The lease runs out and another attempt follows: at least once.
		s.log.ErrorContext(ctx, "webhook: record attempt", "delivery", d.ID, "err", err)
	}
}

// Backoff is the wait before retry n (1, 2, …): 10 s doubling up to an
// hour, with ±25 % jitter so that receivers coming back are not stampeded.
func Backoff(n int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d - d/4 + rand.N(d/2+1)
}

// send POSTs the message to the webhook, signed, and returns the HTTP
// status; an error for anything but 2xx.
func (s *Service) send(ctx context.Context, h *ent.Webhook, m *ent.OutboxMessage) (int, error) {
	id := "msg_" + strconv.Itoa(m.ID)
	ts := time.Now() // the receiver checks it against its own clock
	sig, err := s.signature(h, id, ts, m.Payload)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(m.Payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lienthong-webhooks/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, id)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, &requestError{err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		return resp.StatusCode, fmt.Errorf("receiver answered %s: redirects are not followed", resp.Status)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return resp.StatusCode, fmt.Errorf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// requestError is a request that got no answer: its text may name
// internal addresses, and is recorded as publicError says.
type requestError struct{ err error }

func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// signature signs with the current secret and, during a rotation's
// overlap, the previous one too (space-separated, as the scheme allows).
func (s *Service) signature(h *ent.Webhook, id string, ts time.Time, body []byte) (string, error) {
	secrets := []string{h.Secret}
	if h.PreviousSecret != "" && h.PreviousSecretUntil != nil && s.cfg.Clock.Now().Before(*h.PreviousSecretUntil) {
		secrets = append(secrets, h.PreviousSecret)
	}
	var sigs []string
	for _, stored := range secrets {
		secret, err := s.cfg.Keys.open(stored)
		if err != nil {
			return "", fmt.Errorf("webhook %d: secret: %w", h.ID, err)
		}
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			return "", fmt.Errorf("webhook %d: secret: %w", h.ID, err)
		}
		sig, err := wh.Sign(id, ts, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}
