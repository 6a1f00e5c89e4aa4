// Package graph is the GraphQL layer: schema, generated executor and thin
// resolvers that call the workflow engine or read through ent.
package graph

import (
	"lienthong/access"
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
	access   *access.Resolver
	reporter *report.Reporter
	hooks    *webhook.Service
	feed     *feed.Broker
	forms    *forms.Service

	perSocket int // subscriptions one websocket may run (Websocket.PerSocket)
}

// Deps are what the resolvers call: the data model, the workflow engine,
// the viewer's records, the reports, the webhooks, the live feed and the
// printable forms.
type Deps struct {
	Client   *ent.Client
	Engine   *workflow.Engine
	Access   *access.Resolver
	Reporter *report.Reporter
	Hooks    *webhook.Service
	Feed     *feed.Broker
	Forms    *forms.Service
}

// NewResolver wires the resolvers to their dependencies.
func NewResolver(d Deps) *Resolver {
	return &Resolver{client: d.Client, engine: d.Engine, access: d.Access, reporter: d.Reporter, hooks: d.Hooks, feed: d.Feed, forms: d.Forms}
}
