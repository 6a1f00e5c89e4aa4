package auth

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter allows each client address a burst of events and then a steady
// rate: a token bucket per address, forgotten once idle. It counts in this
// process only; several instances each allow the rate.
type Limiter struct {
	interval time.Duration
	burst    int

	mu    sync.Mutex
	addrs map[string]*bucket
	swept time.Time // when idle buckets were last forgotten
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter allows burst events at once, then one per interval.
func NewLimiter(interval time.Duration, burst int) *Limiter {
	return &Limiter{interval: interval, burst: burst, addrs: map[string]*bucket{}}
}

// Allow reports whether addr may have one more event now, and counts it.
// An IPv6 address counts with its /64 (one subscriber's network: a client
// has as many addresses in it as it wants); an IPv4 address alone, as
// many clients share one behind a NAT. A key that is no address counts as
// given.
func (l *Limiter) Allow(addr string) bool {
	now := time.Now()
	key := limitKey(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key, now).AllowN(now, 1)
}

// limitKey is the part of addr a limit counts.
func limitKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Unmap().Is4() {
		return addr
	}
	p, err := ip.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// Interval is the time in which one more event is allowed.
func (l *Limiter) Interval() time.Duration { return l.interval }

// bucket is addr's bucket, made on first use; idle buckets are forgotten
// once there are many. l.mu must be held.
func (l *Limiter) bucket(addr string, now time.Time) *rate.Limiter {
	// Forget idle buckets once there are many, at most once a minute, so
	// a flood of addresses costs memory for ten minutes, not a scan per call.
	if len(l.addrs) > 10_000 && now.Sub(l.swept) > time.Minute {
		l.swept = now
		for a, b := range l.addrs {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.addrs, a)
			}
		}
	}
	b := l.addrs[addr]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.interval), l.burst)}
		l.addrs[addr] = b
	}
	b.seen = now
	return b.lim
}

type addrKey struct{}

// ClientAddr is the address of the request's client (the peer's IP; put
// behind a proxy, configure it to connect per client or limit there).
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(addrKey{}).(string)
	return a
}

// WithClientAddr records the client's address in the request's context.
func WithClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addrKey{}, remoteHost(r))))
	})
}

// remoteHost is the IP of the request's peer.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
