// Package scalar holds custom GraphQL scalar marshalers.
package scalar

import (
	"time"

	"lienthong/calendar"

	"github.com/99designs/gqlgen/graphql"
)

var hanoi = calendar.VietnamLocation()

// MarshalTime writes instants in Asia/Ho_Chi_Minh (RFC 3339 with +07:00),
// whichever database they were read from: what a desk prints is local time.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.MarshalTime(t.In(hanoi))
}

// UnmarshalTime reads an RFC 3339 instant.
func UnmarshalTime(v any) (time.Time, error) {
	return graphql.UnmarshalTime(v)
}
