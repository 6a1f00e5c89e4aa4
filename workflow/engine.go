package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/procedure"
	"lienthong/outbox"
	"lienthong/store"
)

// Engine is the one way to change a dossier: intake, transitions and the
// sweeper all go through it, each change in one transaction.
type Engine struct {
	client     *ent.Client
	dialect    string // the client's SQL dialect: dialect.SQLite or dialect.Postgres
	check      bool   // Config.CheckWrites
	clock      calendar.Clock
	calendars  *Calendars
	log        *slog.Logger
	dueSoon    int64 // working minutes before the appointment a dossier counts as due soon
	onSweep    func(SweepResult, error)
	trackLimit *auth.Limiter
	trackCodes *auth.Limiter // lookups per dossier code

	procedures sync.Map                       // id → *ent.Procedure with its steps: versions never change
	agencies   sync.Map                       // id → code: codes never change
	fanout     outbox.Fanout                  // hands the outbound messages on in their transaction
	desks      *store.Fresh[int, *ent.Agency] // desk agencies by id (active, has a desk)
	agencyByID *store.Fresh[int, *ent.Agency] // any agency by id, for its area kinds
	// adjustments are the limit adjustments (one key: all of them).
	adjustments *store.Fresh[int, []*ent.LimitAdjustment]
	current     *store.Fresh[string, int] // current procedure version's id by code
	dossiers    *dossierCache             // dossiers as this process last wrote them
}

// Config tunes an Engine.
type Config struct {
	// Dialect is the client's SQL dialect (store.DB.Dialect), required.
	Dialect   string
	Clock     calendar.Clock
	Calendars *Calendars
	Logger    *slog.Logger
	// DueSoonMinutes is how many working minutes before its due time a
	// dossier or leg counts as due soon (default one working day).
	DueSoonMinutes int64
	// CheckWrites makes each transition read its dossier back in its
	// transaction and fail if the row differs from the dossier it computed
	// and returns (tests set it).
	CheckWrites bool
	// CacheTTL bounds how long the engine reuses what it read of the desk
	// agencies and which version of each procedure is current (default 1 s): reading them for every intake or
	// transition cost a statement in each. A change made through this
	// process applies at once; through another instance, within CacheTTL.
	CacheTTL time.Duration
	// Fanout, if set, is handed every outbound message in its transaction
	// (the webhook service queues deliveries).
	Fanout outbox.Fanout
	// OnSweep, if set, receives what each sweep recorded (for metrics).
	OnSweep func(SweepResult, error)
	// TrackLimit limits the public trackDossier lookups per client
	// address (default: 10 at once, then one every 6 seconds).
	TrackLimit *auth.Limiter
}

// NewEngine returns an engine over client.
func NewEngine(client *ent.Client, cfg Config) *Engine {
	if cfg.Clock == nil {
		cfg.Clock = calendar.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.TrackLimit == nil {
		cfg.TrackLimit = auth.NewLimiter(6*time.Second, 10)
	}
	if cfg.Calendars == nil {
		cfg.Calendars = NewCalendars(client, calendar.VietnamLocation(), calendar.DefaultSessions(), []time.Weekday{time.Saturday, time.Sunday})
	}
	if cfg.DueSoonMinutes <= 0 {
		cfg.DueSoonMinutes = calendar.MinutesPerWorkingDay
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = time.Second
	}
	if cfg.Dialect != dialect.SQLite && cfg.Dialect != dialect.Postgres {
		// Intake writes raw SQL in the client's dialect: a wrong one would
		// fail every intake at run time.
		panic(fmt.Sprintf("workflow: NewEngine needs Config.Dialect (dialect.SQLite or dialect.Postgres), got %q", cfg.Dialect))
	}
	return &Engine{
		client: client, dialect: cfg.Dialect, check: cfg.CheckWrites,
		clock: cfg.Clock, calendars: cfg.Calendars, log: cfg.Logger,
		dueSoon: cfg.DueSoonMinutes, onSweep: cfg.OnSweep, trackLimit: cfg.TrackLimit,
		trackCodes:  auth.NewLimiter(time.Minute, 20),
		fanout:      cfg.Fanout,
		desks:       store.NewFresh[int, *ent.Agency](cfg.CacheTTL),
		agencyByID:  store.NewFresh[int, *ent.Agency](cfg.CacheTTL),
		adjustments: store.NewFresh[int, []*ent.LimitAdjustment](cfg.CacheTTL),
		current:     store.NewFresh[string, int](cfg.CacheTTL),
		dossiers:    newDossierCache(),
	}
}

// stamp is the time a write records: the clock's now to the microsecond,
// the precision PostgreSQL keeps, so that what a write returns and
// publishes is what a later read gives.
func (e *Engine) stamp() time.Time { return e.clock.Now().Truncate(time.Microsecond) }

// Clock returns the engine's clock.
func (e *Engine) Clock() calendar.Clock { return e.clock }

// Calendar returns the current working-day calendar.
func (e *Engine) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	return e.calendars.Get(ctx)
}

// procedure returns a procedure version with its route. Versions are
// immutable (a revision is a new version), so every instance may keep them.
func (e *Engine) procedure(ctx context.Context, id int) (*ent.Procedure, error) {
	return e.procedureIn(ctx, nil, id)
}

// procedureIn is procedure, read through tx when not nil: inside a
// transaction a read on a second pooled connection could wait for ever.
func (e *Engine) procedureIn(ctx context.Context, tx *ent.Tx, id int) (*ent.Procedure, error) {
	if p, ok := e.procedures.Load(id); ok {
		return p.(*ent.Procedure), nil
	}
	// Procedure versions are immutable: cached for good.
	q := e.client.Procedure
	if tx != nil {
		q = tx.Procedure
	}
	p, err := q.Query().Where(procedure.ID(id)).WithSteps().Only(auth.SystemContext(ctx))
	if err == nil && tx != nil { // kept beyond tx: bound to the client
		p = p.Unwrap()
		for _, s := range p.Edges.Steps {
			s.Unwrap()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("workflow: load procedure: %w", err)
	}
	e.procedures.Store(id, p)
	return p, nil
}

// agencyCodes returns the codes of agencies by id (codes are immutable).
func (e *Engine) agencyCodes(ctx context.Context, tx *ent.Tx, ids []int) (map[int]string, error) {
	out := make(map[int]string, len(ids))
	var missing []int
	for _, id := range ids {
		if c, ok := e.agencies.Load(id); ok {
			out[id] = c.(string)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	ags, err := tx.Agency.Query().Where(agency.IDIn(missing...)).Select(agency.FieldID, agency.FieldCode).All(auth.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("workflow: agencies: %w", err)
	}
	for _, a := range ags {
		e.agencies.Store(a.ID, a.Code)
		out[a.ID] = a.Code
	}
	return out, nil
}
