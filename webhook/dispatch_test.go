package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/ent/webhookdelivery"
	"lienthong/outbox"
	"lienthong/server/servertest"
	"lienthong/webhook"
)

// waitUntil polls cond until it holds, failing the test if it has not
// within a generous bound: how long anything takes is not what is tested,
// only that it happens.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("still waiting for %s", what)
		}
	}
}

// blockingReceiver takes every request in and answers none until release
// is closed; it records each webhook-id and, per dossier, the seqs in the
// order they arrived.
type blockingReceiver struct {
	srv     *httptest.Server
	release chan struct{}

	mu      sync.Mutex
	ids     map[string]int   // webhook-id → requests
	seqs    map[string][]int // dossier code → seqs
	pending int              // requests not answered yet
}

func newBlockingReceiver(t *testing.T) *blockingReceiver {
	b := &blockingReceiver{release: make(chan struct{}), ids: map[string]int{}, seqs: map[string][]int{}}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m outbox.Message
		_ = json.Unmarshal(body, &m)
		b.mu.Lock()
		b.ids[r.Header.Get("webhook-id")]++
		b.seqs[m.Data.Code] = append(b.seqs[m.Data.Code], m.Data.Event.Seq)
		b.pending++
		b.mu.Unlock()
		select {
		case <-b.release:
		case <-r.Context().Done():
		}
		b.mu.Lock()
		b.pending--
		b.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	// Cleanups run last first: release, then close.
	t.Cleanup(b.srv.Close)
	t.Cleanup(b.unblock)
	return b
}

func (b *blockingReceiver) unblock() {
	select {
	case <-b.release:
	default:
		close(b.release)
	}
}

// TestWebhookSlowReceiver: two dispatchers share one database and two
// webhooks, one of whose receivers holds every request. The other
// receiver gets all its deliveries, in order per dossier, while the slow
// one's requests are still held; a lease configured shorter than a
// request still outlasts it, so a third dispatcher, after more time than
// that lease, takes nothing in flight; once released, the slow receiver
// gets all of its deliveries too, in order, and nothing arrives twice.
func TestWebhookSlowReceiver(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		healthy := servertest.NewReceiver(t)
		slow := newBlockingReceiver(t)
		admin := e.As("admin")
		const create = `mutation($url: String!) { createWebhook(url: $url) { secret webhook { id } } }`
		h := e.MustDo(admin, create, map[string]any{"url": healthy.Srv.URL + "/all"})
		healthy.Mu.Lock()
		healthy.Secrets["/all"] = servertest.Str(h, "createWebhook", "secret")
		healthy.Mu.Unlock()
		e.MustDo(admin, create, map[string]any{"url": slow.srv.URL + "/slow"})

		cfg := e.WebhookConfig()
		cfg.Timeout = time.Minute   // the slow receiver is not timed out: it answers when released
		cfg.Lease = 5 * time.Second // shorter than a request: raised to Timeout + LeaseMargin
		cfg.Poll = 20 * time.Millisecond
		ctx, stop := context.WithCancel(t.Context())
		var running sync.WaitGroup
		defer func() {
			slow.unblock()
			stop()
			running.Wait()
		}()
		one, two := webhook.New(e.App.DB.Client, cfg), webhook.New(e.App.DB.Client, cfg)
		running.Go(func() { one.Run(ctx) })

		// One dossier while one dispatcher runs: the slow receiver holds
		// its first event.
		desk := e.As("desk.giolinh")
		var ids, codes []string
		receive := func(name string) {
			d := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput(name)})
			ids, codes = append(ids, servertest.Str(d, "receiveDossier", "id")), append(codes, servertest.Str(d, "receiveDossier", "code"))
		}
		receive("Chậm Một")
		waitUntil(t, "the slow receiver's first request", func() bool {
			slow.mu.Lock()
			defer slow.mu.Unlock()
			return slow.pending > 0
		})
		// Then the second dispatcher, and more events for both webhooks:
		// three dossiers received, all four forwarded.
		running.Go(func() { two.Run(ctx) })
		for _, name := range []string{"Chậm Hai", "Chậm Ba", "Chậm Bốn"} {
			receive(name)
		}
		for _, id := range ids {
			e.MustDo(desk, servertest.Forward, map[string]any{"id": id})
		}
		want := []int{1, 2}
		waitUntil(t, "the healthy receiver's deliveries while the slow one holds its requests", func() bool {
			healthy.Mu.Lock()
			defer healthy.Mu.Unlock()
			for _, code := range codes {
				if len(healthy.Got["/all "+code]) < len(want) {
					return false
				}
			}
			return true
		})
		// The slow receiver holds each dossier's first event (it has
		// answered nothing): every delivery of its webhook is in flight
		// or waits for one that is.
		waitUntil(t, "the slow receiver holding the first event of each dossier", func() bool {
			slow.mu.Lock()
			defer slow.mu.Unlock()
			return slow.pending == len(codes)
		})

		// More time than the configured lease, less than a request: the
		// deliveries in flight stay leased.
		e.Clock.Set(e.Clock.Now().Add(10 * time.Second))
		third := e.WebhookConfig()
		third.Lease = cfg.Lease
		if n, err := webhook.New(e.App.DB.Client, third).DispatchOnce(t.Context()); err != nil || n != 0 {
			t.Errorf("a third dispatcher after 10 s attempted %d deliveries (%v), want none: they are in flight", n, err)
		}

		slow.unblock()
		waitUntil(t, "the slow receiver's deliveries", func() bool {
			n, err := e.App.DB.Client.WebhookDelivery.Query().
				Where(webhookdelivery.StateNEQ(webhookdelivery.StateDelivered)).Count(auth.SystemContext(t.Context()))
			return err == nil && n == 0
		})
		stop()
		running.Wait()

		healthy.Mu.Lock()
		defer healthy.Mu.Unlock()
		slow.mu.Lock()
		defer slow.mu.Unlock()
		for _, code := range codes {
			if got := healthy.Got["/all "+code]; !slices.Equal(got, want) {
				t.Errorf("healthy receiver, %s: seqs %v, want %v", code, got, want)
			}
			if got := slow.seqs[code]; !slices.Equal(got, want) {
				t.Errorf("slow receiver, %s: seqs %v, want %v", code, got, want)
			}
		}
		for key, n := range healthy.Attempts {
			if n != 1 {
				t.Errorf("healthy receiver: %s sent %d times", key, n)
			}
		}
		for id, n := range slow.ids {
			if n != 1 {
				t.Errorf("slow receiver: %s sent %d times", id, n)
			}
		}
		if healthy.Bad != 0 || len(slow.ids) != 2*len(codes) {
			t.Errorf("bad signatures %d; slow receiver got %d distinct messages, want %d", healthy.Bad, len(slow.ids), 2*len(codes))
		}
	})
}
