package servertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"lienthong/outbox"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Receiver is a webhook endpoint that checks every signature with the
// Standard Webhooks reference library and records what it accepted.
type Receiver struct {
	t   *testing.T
	Srv *httptest.Server

	Mu       sync.Mutex
	Secrets  map[string]string // path → secret
	Got      map[string][]int  // path and dossier code → seqs accepted, in arrival order
	Types    map[string][]string
	Bodies   []outbox.Message
	Failures map[string]int  // "code/seq" → answer 500 this many more times
	Stall    map[string]bool // "code/seq" → outwait the client's timeout once
	Always   map[string]int  // path → always answer this status
	Attempts map[string]int  // "code/seq" → requests seen
	Bad      int             // requests with a bad signature
}

// NewReceiver starts a receiver; it stops when the test ends.
func NewReceiver(t *testing.T) *Receiver {
	r := &Receiver{t: t, Secrets: map[string]string{}, Got: map[string][]int{}, Types: map[string][]string{},
		Failures: map[string]int{}, Stall: map[string]bool{}, Always: map[string]int{}, Attempts: map[string]int{}}
	r.Srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Srv.Close)
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.Mu.Lock()
	secret := r.Secrets[req.URL.Path]
	r.Mu.Unlock()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil || wh.Verify(body, req.Header) != nil {
		r.Mu.Lock()
		r.Bad++
		r.Mu.Unlock()
		http.Error(w, "Bad signature", http.StatusUnauthorized)
		return
	}
	var m outbox.Message
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := m.Data.Code + "/" + strconv.Itoa(m.Data.Event.Seq)
	r.Mu.Lock()
	r.Attempts[key]++
	if st := r.Always[req.URL.Path]; st != 0 {
		r.Mu.Unlock()
		w.WriteHeader(st)
		return
	}
	if r.Stall[key] {
		delete(r.Stall, key)
		r.Mu.Unlock()
		select {
		case <-time.After(3 * WebhookTimeout):
		case <-req.Context().Done():
		}
		return
	}
	if r.Failures[key] > 0 {
		r.Failures[key]--
		r.Mu.Unlock()
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	r.Got[req.URL.Path+" "+m.Data.Code] = append(r.Got[req.URL.Path+" "+m.Data.Code], m.Data.Event.Seq)
	r.Types[req.URL.Path] = append(r.Types[req.URL.Path], m.Data.Event.Type)
	r.Bodies = append(r.Bodies, m)
	r.Mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
