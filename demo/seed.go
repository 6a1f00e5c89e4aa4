package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"lienthong/auth"
	"lienthong/calendar"
	"lienthong/directory"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/officer"
	"lienthong/ent/procedure"
	"lienthong/workflow"
)

// BulkThreshold is the number of dossiers above which the demo writes them
// in bulk instead of driving each through the engine.
const BulkThreshold = 2000

// ErrNotEmpty is returned when the database holds agencies already.
var ErrNotEmpty = errors.New("demo: the database is not empty")

// Options tune the demo data.
type Options struct {
	// Now is the instant the demo is built up to (default: the clock's now).
	Now time.Time
	// Dossiers is how many dossiers to receive (default 40, at least one
	// per demo story); negative: none, only the province and its procedures.
	// Above BulkThreshold, all but the stories are written in bulk over the
	// past year (see bulk).
	Dossiers int
	// Progress, if set, is told how many bulk dossiers are written.
	Progress func(done int)
	// Dialect is the database's SQL dialect (store.DB.Dialect), required.
	Dialect string
}

// Seeder fills an empty database with the demo province.
type Seeder struct {
	client   *ent.Client
	dialect  string
	clock    *calendar.TestClock
	engine   *workflow.Engine
	agencies map[string]*ent.Agency
	officers map[string]*auth.Viewer
	procs    map[string]*ent.Procedure // current versions by code
	order    []string                  // procedure codes as province.yaml lists them

	delegations []*ent.Delegation
	external    int // external codes handed out
}

// Seed fills an empty database with the demo province. Dossiers are
// received through the workflow engine on a clock moved through the past
// weeks, so their codes, appointments and histories are real.
func Seed(ctx context.Context, client *ent.Client, opts Options) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Dossiers == 0 {
		opts.Dossiers = 40
	}
	sys := auth.SystemContext(ctx)
	if n, err := client.Agency.Query().Count(sys); err != nil {
		return fmt.Errorf("demo: %w", err)
	} else if n > 0 {
		return ErrNotEmpty
	}
	clock := calendar.NewTestClock(opts.Now)
	s := &Seeder{
		client:   client,
		dialect:  opts.Dialect,
		clock:    clock,
		engine:   workflow.NewEngine(client, workflow.Config{Dialect: opts.Dialect, Clock: clock}),
		agencies: map[string]*ent.Agency{},
		officers: map[string]*auth.Viewer{},
		procs:    map[string]*ent.Procedure{},
	}
	if err := s.seedProvince(sys); err != nil {
		return err
	}
	// The calendar is not the demo's: the 2025 and 2026 notices ship with
	// the product (a migration), every other year is computed.
	if opts.Dossiers < 0 {
		return nil
	}
	if opts.Dossiers > BulkThreshold {
		if err := s.bulk(ctx, opts.Dossiers-len(stories), opts.Now, opts.Progress); err != nil {
			return err
		}
		opts.Dossiers = len(stories)
	}
	return s.seedDossiers(ctx, opts)
}

// seedProvince imports the demo's directory, as a province imports its
// own (lienthong directory import), and keeps what the stories need of it.
func (s *Seeder) seedProvince(ctx context.Context) error {
	src, err := Directory()
	if err != nil {
		return err
	}
	if _, err := directory.Import(ctx, s.client, src, false); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	ags, err := s.client.Agency.Query().All(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, a := range ags {
		s.agencies[a.Code] = a
	}
	for _, o := range Officers {
		id, err := s.client.Officer.Query().Where(officer.Subject(o.Subject)).OnlyID(ctx)
		if err != nil {
			return fmt.Errorf("demo: officer %s: %w", o.Subject, err)
		}
		s.officers[o.Subject] = &auth.Viewer{Subject: o.Subject, Name: o.Name, AgencyCode: o.Agency, Roles: o.Roles, OfficerID: id, AgencyID: s.agencies[o.Agency].ID}
	}
	procs, err := s.client.Procedure.Query().Where(procedure.Current(true)).All(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, p := range procs {
		s.procs[p.Code] = p
	}
	for _, p := range src.File.Procedures {
		s.order = append(s.order, p.Code)
	}
	return nil
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"}
	middleNames = []string{"Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Quốc", "Thu", "Hữu", "Kim"}
	givenNames  = []string{"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hương", "Khánh", "Linh", "Long", "Nga", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tú", "Yến"}
	streets     = []string{"Lê Duẩn", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Huệ", "Quang Trung", "Lý Thường Kiệt"}
)

func (s *Seeder) deskOfficer(code string) *auth.Viewer {
	for _, o := range Officers {
		if o.Agency == code && o.Roles[0] == auth.RoleDeskOfficer {
			return s.officers[o.Subject]
		}
	}
	return nil
}

// AgencyID returns the id of a demo agency by code (for tests).
func AgencyID(ctx context.Context, client *ent.Client, code string) (int, error) {
	return client.Agency.Query().Where(agency.Code(code)).OnlyID(auth.SystemContext(ctx))
}
