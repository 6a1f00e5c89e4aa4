// Package graph is the GraphQL layer: schema, generated executor and thin
// resolvers that call the workflow engine or read through ent.
package graph

import (
	"lienthong/ent"
	"lienthong/feed"
	"lienthong/forms"
	"lienthong/report"
	"lienthong/webhook"
	"lienthong/workflow"
)

//go:generate go tool gqlgen

// Resolver is the root resolver: the one place where dependencies are wired.
type Resolver struct {
	client   *ent.Client
	engine   *workflow.Engine
	reporter *report.Reporter
	hooks    *webhook.Service
	feed     *feed.Broker
	forms    *forms.Service
}

// NewResolver wires the resolvers to the data model, the workflow engine,
// the reports, the webhooks, the live feed and the printable forms.
func NewResolver(client *ent.Client, engine *workflow.Engine, reporter *report.Reporter, hooks *webhook.Service, live *feed.Broker, printer *forms.Service) *Resolver {
	return &Resolver{client: client, engine: engine, reporter: reporter, hooks: hooks, feed: live, forms: printer}
}
