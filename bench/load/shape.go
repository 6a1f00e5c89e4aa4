package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"lienthong/ent"
	"lienthong/ent/leg"
	"lienthong/rollup"
	"lienthong/store"
)

// The same-shape baseline: the database's own rate for the work of one
// transition. Each transaction is what the server sends for a
// transferDossier (TestStatementsPerTransition counts eight statements):
// outside the transaction it reads the dossier and its legs; inside, it
// makes the versioned update of the dossier, closes the open leg, opens
// the next, appends the event, adds to the roll-ups what the server would
// (rollup.Rows, the server's own statement) and appends the outbound
// message (about 1 KB of JSON, as the server's are). It runs on the
// server's own schema (migrations, indexes, foreign keys and history
// triggers), seeded with the demo province, through database/sql with
// prepared statements: no HTTP, JWT, GraphQL, ORM or rules. On SQLite the
// writers take turns on a mutex, as the server's queue on a channel,
// rather than sleeping in SQLite's busy handler.
//
// Against pgbench's TPC-B-like script this tells how much of the gap is
// the database doing more work (more rows, tables, indexes and checks per
// transaction) and how much is the server.
const shapeDossiersPerClient = 400 // about four transitions each in 10 s

// shapeResult is the same-shape baseline's rate and the CPU time per
// transaction of whoever ran the statements: the PostgreSQL backends, or on
// SQLite this process (the database/sql loop with SQLite inside).
type shapeResult struct {
	tps, cpuMS float64
}

// shape is one run of the baseline on one database.
type shape struct {
	sqlDB     *sql.DB
	stmts     *store.Statements // each statement prepared once, as the server's are
	dialect   string
	q         shapeQueries
	turn      sync.Locker // SQLite's writers take turns
	agencies  [3]int      // the first receives; transfers go between the others
	officer   int
	procedure int
	payload   []byte
}

// shapeDossier is what a client knows of one of its dossiers.
type shapeDossier struct {
	d    *ent.Dossier
	open *ent.Leg
}

func shapeBaseline(ctx context.Context, kind, bin, dbURL string, env []string, clients int) (shapeResult, error) {
	var none shapeResult
	seed := exec.Command(bin, "seed", "--dossiers", "-1")
	seed.Env = append(env, "DATABASE_URL="+dbURL)
	if b, err := seed.CombinedOutput(); err != nil {
		return none, fmt.Errorf("shape baseline: seed: %w: %s", err, b)
	}
	s := &shape{turn: noLock{}, q: newShapeQueries(kind)}
	dbName := "" // the backends whose CPU is counted, on PostgreSQL
	if kind == "postgres" {
		db, err := sql.Open("pgx", dbURL)
		if err != nil {
			return none, err
		}
		defer db.Close()
		db.SetMaxOpenConns(20) // as the server's pool
		db.SetMaxIdleConns(20)
		s.sqlDB, s.dialect = db, dialect.Postgres
		u, err := url.Parse(dbURL)
		if err != nil {
			return none, err
		}
		dbName = strings.TrimPrefix(u.Path, "/")
	} else {
		st, err := store.Open(ctx, dbURL) // the server's pragmas and pool
		if err != nil {
			return none, err
		}
		defer st.Close()
		s.sqlDB = st.SQL
		s.dialect, s.turn = dialect.SQLite, &sync.Mutex{}
	}
	s.stmts = store.NewStatements(s.sqlDB)
	defer s.stmts.Purge()
	own, err := s.setUp(ctx, clients)
	if err != nil {
		return none, fmt.Errorf("shape baseline: %w", err)
	}

	cpu0 := cpuTicks(0, dbName)
	tps, err := forClients(clients, func(c, i int) (bool, error) {
		err := s.transfer(ctx, own[c][i%len(own[c])])
		return err == nil, err
	})
	if err != nil {
		return none, fmt.Errorf("shape baseline: %w", err)
	}
	cpu1 := cpuTicks(0, dbName)
	used := cpu1.load - cpu0.load
	if kind == "postgres" {
		used = cpu1.db - cpu0.db
	}
	return shapeResult{
		tps:   tps,
		cpuMS: float64(used) * 1000 / clockTicks / max(tps*baselineRun.Seconds(), 1),
	}, nil
}

// setUp reads the demo's ids and gives each client its dossiers, each
// with one open leg at the first agency.
func (s *shape) setUp(ctx context.Context, clients int) ([][]*shapeDossier, error) {
	rows, err := s.sqlDB.QueryContext(ctx, "SELECT id FROM agencies ORDER BY id LIMIT 3")
	if err != nil {
		return nil, err
	}
	for i := 0; rows.Next() && i < 3; i++ {
		if err := rows.Scan(&s.agencies[i]); err != nil {
			return nil, err
		}
	}
	rows.Close()
	if err := s.sqlDB.QueryRowContext(ctx, "SELECT min(id) FROM officers").Scan(&s.officer); err != nil {
		return nil, err
	}
	if err := s.sqlDB.QueryRowContext(ctx, "SELECT min(id) FROM procedures").Scan(&s.procedure); err != nil {
		return nil, err
	}
	if s.agencies[2] == 0 || s.officer == 0 || s.procedure == 0 {
		return nil, fmt.Errorf("the demo seed has no agencies, officers or procedures")
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	s.payload, _ = json.Marshal(map[string]any{
		"event": "TRANSFERRED", "code": "000.20.01.H43-261201-0001", "state": "PROCESSING",
		"procedure":  map[string]any{"code": "1.001234", "name": "Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"},
		"applicant":  map[string]any{"name": "Nguyễn Văn An", "idNumber": "001090000001"},
		"receivedAt": now, "appointmentAt": now.Add(72 * time.Hour), "currentPosition": 2,
		"legs": []map[string]any{
			{"agency": "UBND xã Gio Linh", "role": "DESK", "startedAt": now, "dueAt": now, "finishedAt": now, "judgement": "EARLY"},
			{"agency": "Phòng Văn hóa - Xã hội", "role": "LEAD", "startedAt": now, "dueAt": now, "finishedAt": now, "judgement": "ON_TIME"},
			{"agency": "Công an xã", "role": "LEAD", "startedAt": now, "dueAt": now, "judgement": "PENDING"},
		},
		"actor":  map[string]any{"name": "Trần Thị Bình", "agency": "UBND xã Gio Linh", "roles": []string{"SPECIALIST"}},
		"reason": "", "note": "chuyển bước tiếp theo theo quy trình liên thông",
	})

	sqlTx, tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer sqlTx.Rollback()
	own := make([][]*shapeDossier, clients)
	for c := range clients {
		for i := range shapeDossiersPerClient {
			code := fmt.Sprintf("SHAPE-%02d-%05d", c, i)
			d := &ent.Dossier{Version: 1, ProcedureID: s.procedure, ReceivedAt: &now, LeadAgencyID: &s.agencies[0]}
			if err := tx.QueryRowContext(ctx, s.q.insertDossier, now, now, code, code, "Nguyễn Văn An", "001090000001",
				"DIRECT", `[]`, "PROCESSING", now, now, now.Add(72*time.Hour), s.agencies[0], s.procedure, s.agencies[0]).Scan(&d.ID); err != nil {
				return nil, fmt.Errorf("dossier: %w", err)
			}
			sd := &shapeDossier{d: d}
			if sd.open, err = s.openLeg(ctx, tx, d, s.agencies[0], now); err != nil {
				return nil, fmt.Errorf("leg: %w", err)
			}
			own[c] = append(own[c], sd)
		}
	}
	return own, sqlTx.Commit()
}

// openLeg opens a leg of d at agency, as the server's rows have them.
func (s *shape) openLeg(ctx context.Context, tx store.StmtTx, d *ent.Dossier, agency int, now time.Time) (*ent.Leg, error) {
	l := &ent.Leg{Role: leg.RoleLead, Position: d.CurrentPosition, StartedAt: now, AllottedMinutes: 480,
		DueAt: now.Add(8 * time.Hour), Judgement: leg.JudgementPending, DossierID: d.ID, AgencyID: agency}
	err := tx.QueryRowContext(ctx, s.q.insertLeg, l.Role, l.Position, l.StartedAt, l.AllottedMinutes, l.DueAt, l.DossierID, l.AgencyID).Scan(&l.ID)
	return l, err
}

// transfer is one transfer-shaped transaction on sd: the two reads, then
// the six writes and the commit (on SQLite in the writers' turn). On
// success sd holds the dossier and its open leg as written.
func (s *shape) transfer(ctx context.Context, sd *shapeDossier) error {
	d, from := sd.d, sd.open
	if err := s.scanAll(ctx, s.q.readDossier, d.ID); err != nil {
		return err
	}
	if err := s.scanAll(ctx, s.q.readLegs, d.ID); err != nil {
		return err
	}
	to := s.agencies[1] // along the route, never to the holder itself
	if from.AgencyID == to {
		to = s.agencies[2]
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	s.turn.Lock()
	defer s.turn.Unlock()
	sqlTx, tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	next := *d
	next.Version++
	next.CurrentPosition++
	res, err := tx.ExecContext(ctx, s.q.updateDossier, "PROCESSING", next.Version, now, next.CurrentPosition, d.ID, d.Version)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return fmt.Errorf("dossier %d: version %d not found", d.ID, d.Version)
	}
	closed := *from
	worked := 30
	closed.FinishedAt, closed.Judgement, closed.WorkedMinutes = &now, leg.JudgementOnTime, &worked
	if _, err := tx.ExecContext(ctx, s.q.closeLeg, now, closed.Judgement, worked, closed.ID); err != nil {
		return err
	}
	opened, err := s.openLeg(ctx, tx, &next, to, now)
	if err != nil {
		return err
	}
	var event int
	if err := tx.QueryRowContext(ctx, s.q.insertEvent, d.ID, next.Version, "TRANSFERRED", "PROCESSING", "PROCESSING",
		s.officer, from.AgencyID, from.ID, `{"to":`+strconv.Itoa(to)+`}`, now).Scan(&event); err != nil {
		return err
	}
	r := rollup.Rows{} // what the transfer changes, as the engine adds it
	r.Add(d, []*ent.Leg{from}, -1)
	r.Add(&next, []*ent.Leg{&closed, opened}, 1)
	if err := r.Write(ctx, tx, s.dialect); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q.insertOutbox, event, d.ID, next.Version, "TRANSFERRED",
		`[`+strconv.Itoa(from.AgencyID)+`,`+strconv.Itoa(to)+`]`, s.payload, now); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	sd.d, sd.open = &next, opened
	return nil
}

// begin starts a transaction, and returns it with the prepared
// statements run in it.
func (s *shape) begin(ctx context.Context) (*sql.Tx, store.StmtTx, error) {
	tx, err := s.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return nil, store.StmtTx{}, err
	}
	return tx, s.stmts.In(tx), nil
}

// scanAll reads every column of every row, as the server's reads do.
func (s *shape) scanAll(ctx context.Context, query string, args ...any) error {
	rows, err := s.stmts.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// shapeQueries are the baseline's own statements, in the dialect's
// placeholders (the roll-ups' is the server's).
type shapeQueries struct {
	insertDossier, insertLeg, readDossier, readLegs, updateDossier, closeLeg, insertEvent, insertOutbox string
}

func newShapeQueries(kind string) shapeQueries {
	q := shapeQueries{
		insertDossier: `INSERT INTO dossiers (create_time, update_time, code, intake_hash, applicant_name, applicant_id_number,
			channel, components, state, submitted_at, received_at, appointment_at, desk_agency_id, procedure_id, lead_agency_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		insertLeg: `INSERT INTO legs (role, position, started_at, allotted_minutes, due_at, dossier_id, agency_id)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		readDossier:   `SELECT * FROM dossiers WHERE id = ?`,
		readLegs:      `SELECT * FROM legs WHERE dossier_id = ? ORDER BY id`,
		updateDossier: `UPDATE dossiers SET state = ?, version = ?, update_time = ?, current_position = ? WHERE id = ? AND version = ?`,
		closeLeg:      `UPDATE legs SET finished_at = ?, judgement = ?, worked_minutes = ? WHERE id = ?`,
		insertEvent: `INSERT INTO dossier_events (dossier_id, seq, type, from_state, to_state, actor_id, agency_id, leg_id, data, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		insertOutbox: `INSERT INTO outbox_messages (event_id, dossier_id, seq, type, agency_ids, payload, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
	}
	if kind == "postgres" {
		for _, s := range []*string{&q.insertDossier, &q.insertLeg, &q.readDossier, &q.readLegs, &q.updateDossier, &q.closeLeg, &q.insertEvent, &q.insertOutbox} {
			*s = dollars(*s)
		}
	}
	return q
}

// dollars numbers a query's ? placeholders as PostgreSQL's $1, $2, ….
func dollars(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}
