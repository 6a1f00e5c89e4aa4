package graph

import (
	"context"
	"log/slog"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestFieldsStopWithTheRequest: once the request's context has ended, no
// field resolves, and the errors that follow are answered TIMEOUT without
// being logged as internal errors (one per field of a cancelled request).
func TestFieldsStopWithTheRequest(t *testing.T) {
	for _, end := range []func() context.Context{
		func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		},
		func() context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 0)
			defer cancel()
			return ctx
		},
	} {
		ctx := end()
		ran := false
		_, err := pageSize(ctx, func(context.Context) (any, error) { ran = true; return nil, nil })
		if ran || err == nil {
			t.Errorf("a field resolved after its request ended (%v)", err)
		}
		logged := 0
		log := slog.New(slog.NewTextHandler(countWriter{&logged}, nil))
		out := presentError(graphql.WithResponseContext(ctx, graphql.DefaultErrorPresenter, graphql.DefaultRecover), log, ctx.Err())
		if out.Extensions["code"] != "TIMEOUT" || logged > 0 {
			t.Errorf("%v: %v (%d lines logged)", ctx.Err(), out, logged)
		}
	}
}

type countWriter struct{ n *int }

func (w countWriter) Write(p []byte) (int, error) {
	*w.n++
	return len(p), nil
}
