package access_test

import (
	"testing"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/server/servertest"
)

// TestClaimsText: the token's claims are free text from the identity
// provider, held to the same rules before they reach a query or a form:
// a NUL in the agency claim failed inside PostgreSQL, an override in the
// name would print reversed as the receiving officer.
func TestClaimsText(t *testing.T) {
	servertest.Each(t, servertest.Seeded, func(t *testing.T, e *servertest.Env) {
		for name, tok := range map[string]string{
			"override in sub and name": e.Token("desk.\u202eabc", demo.CommuneA, auth.RoleDeskOfficer),
			"line break in the name":   e.Token("desk.new\nLệ phí: đã miễn", demo.CommuneA, auth.RoleDeskOfficer),
			"NUL in the agency":        e.Token("desk.nul", demo.CommuneA+"\x00", auth.RoleDeskOfficer),
		} {
			if r := e.Do(tok, `{ me { officer { name } } }`, nil); r.Code() != "UNAUTHENTICATED" {
				t.Errorf("%s: %s, want UNAUTHENTICATED", name, r.Raw)
			}
		}
	})
}
