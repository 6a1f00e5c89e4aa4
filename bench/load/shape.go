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
	"sync/atomic"
	"time"

	"lienthong/store"
)

// The same-shape baseline: the database's own rate for the work of one
// transition. Each transaction is what the server sends for a
// transferDossier (TestStatementsPerTransition counts eight statements):
// outside the transaction it reads the dossier and its legs; inside, it
// makes the versioned update of the dossier, closes the open leg, opens
// the next, appends the event, adds to two roll-up rows and appends the
// outbound message (about 1 KB of JSON, as the server's are). It runs on
// the server's own schema (migrations, indexes, foreign keys and history
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

func shapeBaseline(ctx context.Context, kind, bin, dbURL string, env []string, clients int) (shapeResult, error) {
	var none shapeResult
	seed := exec.Command(bin, "seed", "--dossiers", "-1")
	seed.Env = append(env, "DATABASE_URL="+dbURL)
	if b, err := seed.CombinedOutput(); err != nil {
		return none, fmt.Errorf("shape baseline: seed: %v: %s", err, b)
	}
	var db *sql.DB
	var turn sync.Locker = noLock{}
	if kind == "postgres" {
		d, err := sql.Open("pgx", dbURL)
		if err != nil {
			return none, err
		}
		d.SetMaxOpenConns(20) // as the server's pool
		d.SetMaxIdleConns(20)
		defer d.Close()
		db = d
	} else {
		s, err := store.Open(ctx, dbURL) // the server's pragmas and pool
		if err != nil {
			return none, err
		}
		defer s.Close()
		db = s.SQL
		turn = &sync.Mutex{}
	}
	q, err := prepareShape(ctx, db, kind)
	if err != nil {
		return none, err
	}

	var agencies [3]int
	rows, err := db.QueryContext(ctx, "SELECT id FROM agencies ORDER BY id LIMIT 3")
	if err != nil {
		return none, err
	}
	for i := 0; rows.Next() && i < 3; i++ {
		if err := rows.Scan(&agencies[i]); err != nil {
			return none, err
		}
	}
	rows.Close()
	var officer, procedure int
	if err := db.QueryRowContext(ctx, "SELECT min(id) FROM officers").Scan(&officer); err != nil {
		return none, err
	}
	if err := db.QueryRowContext(ctx, "SELECT min(id) FROM procedures").Scan(&procedure); err != nil {
		return none, err
	}
	if agencies[2] == 0 || officer == 0 || procedure == 0 {
		return none, fmt.Errorf("shape baseline: the demo seed has no agencies, officers or procedures")
	}

	// Each client's dossiers, each with one open leg at the first agency.
	now := time.Now().UTC().Truncate(time.Microsecond)
	type dossierRow struct{ id, version, leg, agency int }
	own := make([][]dossierRow, clients)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return none, err
	}
	for c := range clients {
		for i := range shapeDossiersPerClient {
			code := fmt.Sprintf("SHAPE-%02d-%05d", c, i)
			var id, leg int
			if err := tx.StmtContext(ctx, q.insertDossier).QueryRowContext(ctx, now, now, code, code, "Nguyễn Văn An", "001090000001",
				"DIRECT", `[]`, "PROCESSING", now, now, now.Add(72*time.Hour), agencies[0], procedure, agencies[0]).Scan(&id); err != nil {
				return none, fmt.Errorf("shape baseline: dossier: %w", err)
			}
			if err := tx.StmtContext(ctx, q.insertLeg).QueryRowContext(ctx, "LEAD", 1, now, 480, now.Add(8*time.Hour), id, agencies[0]).Scan(&leg); err != nil {
				return none, fmt.Errorf("shape baseline: leg: %w", err)
			}
			own[c] = append(own[c], dossierRow{id: id, version: 1, leg: leg, agency: agencies[0]})
		}
	}
	if err := tx.Commit(); err != nil {
		return none, err
	}

	payload, _ := json.Marshal(map[string]any{
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

	dbName := "" // the backends whose CPU is counted, on PostgreSQL
	if kind == "postgres" {
		u, err := url.Parse(dbURL)
		if err != nil {
			return none, err
		}
		dbName = strings.TrimPrefix(u.Path, "/")
	}
	cpu0 := cpuTicks(0, dbName)
	var n atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(10 * time.Second)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				d := &own[c][i%len(own[c])]
				next := agencies[1] // along the route, never to the holder itself
				if d.agency == next {
					next = agencies[2]
				}
				if err := shapeTransition(ctx, db, q, turn, d.id, d.version, d.leg, d.agency, next, officer, procedure, payload, &d.leg); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				d.version++
				d.agency = next
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return none, fmt.Errorf("shape baseline: %w", err)
	}
	cpu1 := cpuTicks(0, dbName)
	used := cpu1.load - cpu0.load
	if kind == "postgres" {
		used = cpu1.db - cpu0.db
	}
	return shapeResult{
		tps:   float64(n.Load()) / 10,
		cpuMS: float64(used) * 1000 / clockTicks / float64(max(n.Load(), 1)),
	}, nil
}

// shapeTransition is one transfer-shaped transaction: the two reads, then
// the six writes and the commit (on SQLite in the writers' turn).
func shapeTransition(ctx context.Context, db *sql.DB, q *queries, turn sync.Locker, id, version, openLeg, from, to, officer, procedure int, payload []byte, newLeg *int) error {
	if err := scanAll(ctx, q.readDossier, id); err != nil {
		return err
	}
	if err := scanAll(ctx, q.readLegs, id); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	turn.Lock()
	defer turn.Unlock()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.StmtContext(ctx, q.updateDossier).ExecContext(ctx, "PROCESSING", version+1, now, version+1, id, version)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return fmt.Errorf("dossier %d: version %d not found", id, version)
	}
	if _, err := tx.StmtContext(ctx, q.closeLeg).ExecContext(ctx, now, "ON_TIME", 30, openLeg); err != nil {
		return err
	}
	if err := tx.StmtContext(ctx, q.insertLeg).QueryRowContext(ctx, "LEAD", version+1, now, 480, now.Add(8*time.Hour), id, to).Scan(newLeg); err != nil {
		return err
	}
	var event int
	if err := tx.StmtContext(ctx, q.insertEvent).QueryRowContext(ctx, id, version+1, "TRANSFERRED", "PROCESSING", "PROCESSING",
		officer, from, openLeg, `{"to":`+strconv.Itoa(to)+`}`, now).Scan(&event); err != nil {
		return err
	}
	day := 20261201
	shard := id % 16
	if _, err := tx.StmtContext(ctx, q.upsertRollups).ExecContext(ctx,
		// The closed leg's agency: closed, on time, its minutes, settled;
		// the opened leg's: opened, due. In key order, as the server's.
		"LEG", day, min(from, to), procedure, shard, 0, 1, 0, 1, 0, 0, 30, 0, 1, 0, 1, 0, 0,
		"LEG", day, max(from, to), procedure, shard, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0); err != nil {
		return err
	}
	if _, err := tx.StmtContext(ctx, q.insertOutbox).ExecContext(ctx, event, id, version+1, "TRANSFERRED", `[`+strconv.Itoa(from)+`,`+strconv.Itoa(to)+`]`, payload, now); err != nil {
		return err
	}
	return tx.Commit()
}

// scanAll reads every column of every row, as the server's reads do.
func scanAll(ctx context.Context, stmt *sql.Stmt, args ...any) error {
	rows, err := stmt.QueryContext(ctx, args...)
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

// queries are the baseline's statements, prepared once (the server keeps
// its statements prepared too: pgx's cache, store's on SQLite).
type queries struct {
	insertDossier, insertLeg, readDossier, readLegs, updateDossier, closeLeg, insertEvent, upsertRollups, insertOutbox *sql.Stmt
}

func prepareShape(ctx context.Context, db *sql.DB, kind string) (*queries, error) {
	q := &queries{}
	for dst, query := range map[**sql.Stmt]string{
		&q.insertDossier: `INSERT INTO dossiers (create_time, update_time, code, intake_hash, applicant_name, applicant_id_number,
			channel, components, state, submitted_at, received_at, appointment_at, desk_agency_id, procedure_id, lead_agency_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		&q.insertLeg: `INSERT INTO legs (role, position, started_at, allotted_minutes, due_at, dossier_id, agency_id)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		&q.readDossier:   `SELECT * FROM dossiers WHERE id = ?`,
		&q.readLegs:      `SELECT * FROM legs WHERE dossier_id = ? ORDER BY id`,
		&q.updateDossier: `UPDATE dossiers SET state = ?, version = ?, update_time = ?, current_position = ? WHERE id = ? AND version = ?`,
		&q.closeLeg:      `UPDATE legs SET finished_at = ?, judgement = ?, worked_minutes = ? WHERE id = ?`,
		&q.insertEvent: `INSERT INTO dossier_events (dossier_id, seq, type, from_state, to_state, actor_id, agency_id, leg_id, data, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		&q.upsertRollups: `INSERT INTO rollups (kind, day, agency_id, procedure_id, shard, received, finished, early, on_time, late,
			cancelled, minutes, opened, closed, due, settled, supplement2, send_back2)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, day, agency_id, procedure_id, shard) DO UPDATE SET
			received = rollups.received + excluded.received, finished = rollups.finished + excluded.finished,
			early = rollups.early + excluded.early, on_time = rollups.on_time + excluded.on_time,
			late = rollups.late + excluded.late, cancelled = rollups.cancelled + excluded.cancelled,
			minutes = rollups.minutes + excluded.minutes,
			opened = rollups.opened + excluded.opened, closed = rollups.closed + excluded.closed,
			due = rollups.due + excluded.due, settled = rollups.settled + excluded.settled,
			supplement2 = rollups.supplement2 + excluded.supplement2, send_back2 = rollups.send_back2 + excluded.send_back2`,
		&q.insertOutbox: `INSERT INTO outbox_messages (event_id, dossier_id, seq, type, agency_ids, payload, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
	} {
		if kind == "postgres" {
			query = dollars(query)
		}
		stmt, err := db.PrepareContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("shape baseline: prepare: %w", err)
		}
		*dst = stmt
	}
	return q, nil
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
