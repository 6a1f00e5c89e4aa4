package auth

import (
	"testing"
	"time"
)

// Addresses of one IPv6 /64 share a limit; IPv4 addresses do not.
func TestLimiterCountsIPv6By64(t *testing.T) {
	l := NewLimiter(time.Hour, 2)
	for i, addr := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2:abcd::1"} {
		if got, want := l.Allow(addr), i < 2; got != want {
			t.Errorf("Allow(%s) = %v, want %v: one /64, a burst of 2", addr, got, want)
		}
	}
	if !l.Allow("2001:db8:1:3::1") {
		t.Error("another /64 was limited")
	}
	for _, addr := range []string{"203.0.113.7", "203.0.113.7", "203.0.113.8"} {
		l.Allow(addr)
	}
	if !l.Allow("203.0.113.9") {
		t.Error("an IPv4 neighbour was limited")
	}
	if l.Allow("203.0.113.7") {
		t.Error("a third event from one IPv4 address was allowed")
	}
}
