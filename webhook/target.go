package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Where webhooks may go: public addresses only, unless the operator names
// internal networks its receivers are on (Config.AllowNetworks,
// WEBHOOK_ALLOW_NETWORKS). Registration refuses a URL whose host is, or
// resolves to, any address outside that; the dispatcher checks again the
// address each connection is actually made to, so a name that resolves
// elsewhere later (DNS rebinding) or a webhook stored before these checks
// reaches nothing internal. Redirects are never followed.

// errNotAllowed is what a connection to a refused address fails with.
var errNotAllowed = errors.New("address not allowed")

// internal lists the networks a webhook may not reach unless allowed:
// everything that is not a public unicast address.
var internal = mustPrefixes(
	"0.0.0.0/8",      // "this network": 0.0.0.0 reaches the local host
	"10.0.0.0/8",     // private
	"100.64.0.0/10",  // shared address space (carrier-grade NAT, some clouds' metadata)
	"127.0.0.0/8",    // loopback
	"169.254.0.0/16", // link-local, the clouds' metadata service (169.254.169.254)
	"172.16.0.0/12",  // private
	"192.0.0.0/24",   // IETF protocol assignments
	"192.0.2.0/24",   // documentation
	"192.168.0.0/16", // private
	"198.18.0.0/15",  // benchmarking
	"198.51.100.0/24",
	"203.0.113.0/24", // documentation
	"224.0.0.0/4",    // multicast
	"240.0.0.0/4",    // reserved, broadcast
	"::/96",          // unspecified, loopback and the deprecated IPv4-compatible addresses
	"64:ff9b:1::/48", // local-use NAT64
	"100::/64",       // discard-only
	"2001::/32",      // Teredo (its IPv4 address is obfuscated)
	"2001:db8::/32",  // documentation
	"3fff::/20",      // documentation
	"fc00::/7",       // unique local
	"fe80::/10",      // link-local
	"fec0::/10",      // site-local (deprecated)
	"ff00::/8",       // multicast
)

// Loopback is the loopback networks, for Config.AllowNetworks in dev mode
// and tests.
var Loopback = mustPrefixes("127.0.0.0/8", "::1/128")

func mustPrefixes(list ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(list))
	for i, s := range list {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// ParseNetworks reads a comma-separated list of networks (CIDR, e.g.
// 10.20.0.0/16, or single addresses) for Config.AllowNetworks.
func ParseNetworks(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(s, "/") {
			var err error
			if p, err = netip.ParsePrefix(s); err != nil {
				return nil, fmt.Errorf("%q is not a network (CIDR, e.g. 10.20.0.0/16)", s)
			}
		} else {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("%q is not an IP address or a network (CIDR, e.g. 10.20.0.0/16)", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() {
			return nil, fmt.Errorf("%q: write IPv4 networks in IPv4", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// guard decides which addresses webhook requests may reach.
type guard struct {
	allow   []netip.Prefix
	resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// allowed reports whether a webhook request may connect to a.
func (g *guard) allowed(a netip.Addr) bool {
	// A zone would keep a link-local address out of every prefix.
	a = a.Unmap().WithZone("")
	if !a.IsValid() {
		return false
	}
	for _, p := range g.allow {
		if p.Contains(a) {
			return true
		}
	}
	if v4, ok := embeddedIPv4(a); ok {
		return g.allowed(v4)
	}
	for _, p := range internal {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// embeddedIPv4 is the IPv4 address an IPv6 address carries and routes to
// (NAT64's well-known prefix, 6to4).
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	switch {
	case netip.MustParsePrefix("64:ff9b::/96").Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case netip.MustParsePrefix("2002::/16").Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// wellKnown are names that reach a local or internal address whatever DNS
// says: they are taken as those addresses, without asking it.
func wellKnown(host string) ([]netip.Addr, bool) {
	switch h := strings.TrimSuffix(strings.ToLower(host), "."); {
	case h == "localhost" || strings.HasSuffix(h, ".localhost"):
		return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}, true
	case h == "metadata.google.internal" || h == "metadata.goog":
		return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, true
	}
	return nil, false
}

// numeric reports whether a host that is not an IP address in its usual
// form is one spelt otherwise (2130706433, 0x7f000001, 0177.0.0.1,
// 127.1): URL parsers and resolvers read such a host as an IPv4 address
// when its last label is a number.
func numeric(host string) bool {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	last := strings.ToLower(labels[len(labels)-1])
	if strings.HasPrefix(last, "0x") {
		last = last[2:]
		return strings.Trim(last, "0123456789abcdef") == ""
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

// errUnresolved says a host name has no address.
var errUnresolved = errors.New("host name not found")

// lookup returns the addresses host stands for: an IP address itself, a
// well-known name's, or what the resolver answers.
func (g *guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return nil, errNotAllowed
		}
		return []netip.Addr{a}, nil
	}
	if numeric(host) {
		return nil, errNotAllowed
	}
	if addrs, ok := wellKnown(host); ok {
		return addrs, nil
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, errUnresolved
	}
	return addrs, nil
}

// checkHost refuses a webhook host that is, or resolves to, an address a
// request may not reach.
func (g *guard) checkHost(ctx context.Context, host string) error {
	if a, err := netip.ParseAddr(host); err == nil && a.Zone() != "" {
		return errors.New("an IPv6 zone is not accepted")
	}
	if _, err := netip.ParseAddr(host); err != nil && numeric(host) {
		return errors.New("write an IP address as four decimal numbers separated by dots, or use the host name")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return fmt.Errorf("the host %s could not be resolved: register it once its name is in DNS", host)
	}
	for _, a := range addrs {
		if !g.allowed(a) {
			return fmt.Errorf("the host %s is, or resolves to, an internal address (loopback, private, link-local, metadata or reserved): "+
				"webhooks go to public receivers, or to the networks the server's WEBHOOK_ALLOW_NETWORKS names", host)
		}
	}
	return nil
}

// control refuses a connection about to be made to an address a request
// may not reach: the address the socket connects to, whatever name led to
// it.
func (g *guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !g.allowed(ap.Addr()) {
		return errNotAllowed
	}
	return nil
}

// dial resolves the host itself (so that the same rules apply as at
// registration) and connects to its first allowed address that answers.
func (g *guard) dial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		addrs, err := g.lookup(ctx, host)
		if err != nil {
			return nil, err
		}
		var first error
		for _, a := range addrs {
			if !g.allowed(a) {
				first = cmpErr(first, errNotAllowed)
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(a.WithZone("").String(), port))
			if err == nil {
				return c, nil
			}
			first = cmpErr(first, err)
			if ctx.Err() != nil {
				break
			}
		}
		return nil, first
	}
}

// cmpErr keeps the first error that says more than "not allowed".
func cmpErr(first, err error) error {
	if first == nil || errors.Is(first, errNotAllowed) {
		return err
	}
	return first
}

// newClient is the dispatcher's HTTP client: every connection checked by
// g, no proxy (it would be the address checked), no redirect followed (a
// 3xx is the answer, a failed attempt), timeout for the whole request.
func newClient(g *guard, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.control}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           g.dial(d),
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   8,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// publicError says why a request failed in words that name no address
// and no resolver: a delivery's lastError is read by every administrator,
// and the address a name resolved to inside the province's network is
// none of theirs. The whole error goes to the log.
func publicError(err error) string {
	var (
		dns      *net.DNSError
		netErr   net.Error
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, errNotAllowed):
		return "address not allowed"
	case errors.Is(err, errUnresolved):
		return "host name not found"
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "host name not found"
		}
		return "host name lookup failed"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable"
	case errors.As(err, &hostname):
		return "TLS certificate not valid for the host"
	case errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &certErr):
		return "TLS certificate not accepted"
	case errors.As(err, &record):
		return "TLS handshake failed (not an https server?)"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by the receiver"
	}
	return "request failed"
}
