package server_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/ent/webhookdelivery"
	"lienthong/server/servertest"
	"lienthong/store"
)

// TestBackupDrill: with traffic running, a backup is taken and restored
// into an empty database. Every transition acknowledged before the backup
// is there with its history and outbound message, codes have no gap, the
// history guard still refuses rewrites, the roll-ups equal a rebuild, and
// the webhook deliveries resume where they stood: each event delivered
// once in all, none lost.
func TestBackupDrill(t *testing.T) {
	for name, url := range servertest.Databases(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			dbURL := url(t)
			e := servertest.New(t, dbURL, servertest.Seeded)
			sys := auth.SystemContext(ctx)
			seeded, err := e.App.DB.Client.OutboxMessage.Query().Count(sys) // before any webhook
			if err != nil {
				t.Fatal(err)
			}
			rcv := servertest.NewReceiver(t)
			h := e.MustDo(e.As("admin"), `mutation($u: String!) { createWebhook(url: $u) { secret } }`, map[string]any{"u": rcv.Srv.URL + "/all"})
			rcv.Secrets["/all"] = servertest.Str(h, "createWebhook", "secret")
			srv := httptest.NewServer(e.Handler)
			defer srv.Close()

			var a servertest.Acks
			trafficCtx, stop := context.WithCancel(ctx)
			wg := drive(trafficCtx, e, []string{srv.URL}, 4, &a)
			a.WaitFor(30, 20*time.Second)
			// Some deliveries go out before the backup, the rest after.
			if _, err := e.App.Hooks.DispatchOnce(ctx); err != nil {
				t.Fatal(err)
			}
			acked := a.Snapshot()
			file := filepath.Join(t.TempDir(), "lienthong.backup")
			if err := store.Backup(ctx, dbURL, file); err != nil {
				t.Fatal(err)
			}
			a.WaitFor(acked.N()+20, 20*time.Second) // writes went on
			stop()
			wg.Wait()
			if acked.N() < 30 || a.N() < acked.N()+20 {
				t.Fatalf("acknowledged %d before the backup and %d in all", acked.N(), a.N())
			}
			if err := store.Backup(ctx, dbURL, file); err == nil || !strings.Contains(err.Error(), "exists") {
				t.Errorf("a backup over an existing file: %v, want it refused", err)
			}

			restoredURL := "sqlite://" + filepath.Join(t.TempDir(), "restored.db")
			if name == "postgres" {
				restoredURL = servertest.FreshPostgres(t, servertest.PostgresBase(t))
			}
			if err := store.Restore(ctx, restoredURL, file); err != nil {
				t.Fatal(err)
			}
			if err := store.Restore(ctx, restoredURL, file); err == nil || !strings.Contains(err.Error(), "empty") {
				t.Errorf("a restore into a database with data: %v, want it refused", err)
			}
			r := servertest.New(t, restoredURL, servertest.Empty)
			r.CheckHistory(t, acked)
			r.CheckRollups(t)
			if _, err := r.App.DB.SQL.ExecContext(ctx, "UPDATE dossier_events SET reason = 'rewritten'"); err == nil {
				t.Error("the restored history accepts an UPDATE")
			}
			before := len(rcv.Bodies)
			for {
				n, err := r.App.Hooks.DispatchOnce(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			messages, err := r.App.DB.Client.OutboxMessage.Query().Count(sys)
			if err != nil {
				t.Fatal(err)
			}
			pending, _ := r.App.DB.Client.WebhookDelivery.Query().Where(webhookdelivery.StateNEQ(webhookdelivery.StateDelivered)).Count(sys)
			rcv.Mu.Lock()
			defer rcv.Mu.Unlock()
			got := 0
			for key, seqs := range rcv.Got {
				seen := map[int]bool{}
				for _, s := range seqs {
					if seen[s] {
						t.Errorf("%s: event %d delivered twice", key, s)
					}
					seen[s] = true
				}
				got += len(seqs)
			}
			if pending != 0 || got != messages-seeded || len(rcv.Bodies) == before {
				t.Errorf("after the restore: %d deliveries pending, %d events received of the %d the outbox holds since the webhook (%d before the restore)", pending, got, messages-seeded, before)
			}
		})
	}
}
