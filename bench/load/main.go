// Command load drives realistic dossier traffic through the real server
// and compares it with the database's own limit measured in the same run.
//
//	go run ./bench/load [-bin bin/lienthong] [-clients 16] [-desks 2] [-duration 30s] [-import 100000] [-db sqlite|postgres]
//
// For SQLite, and for PostgreSQL when TEST_DATABASE_URL is set, it:
//  1. seeds a fresh database with the demo province (no dossiers) and starts
//     the server binary on it, with production settings;
//  2. measures two baselines, with as many clients, once before the traffic
//     and once after, so that a shared machine's drift weighs on both sides
//     of the ratio: pgbench's TPC-B-like script on PostgreSQL (an equivalent
//     database/sql loop on a SQLite file with the server's own pragmas), and
//     a transfer's own statements on the server's schema (shape.go);
//  3. runs C clients, each at one of the demo's two commune desks (or
//     all at one with -desks 1), each taking dossiers of the demo procedures through
//     full routes over GraphQL/HTTP with tokens of the right roles: receive,
//     forward, transfer along the land route, coordinate and reply,
//     supplementation, send-backs, return, complete;
//  4. imports dossiers through importDossiers in batches of 500;
//  5. prints transitions per second, latency percentiles per mutation,
//     errors (CONFLICTs apart), the server's peak RSS and the ratios to the
//     baselines, and writes them to bench/results/load-<db>.txt.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/store"
)

const secret = "bench-load-secret-0123456789abcdef0123456789"

func main() {
	bin := flag.String("bin", "bin/lienthong", "server binary (make build)")
	clients := flag.Int("clients", 16, "concurrent clients")
	duration := flag.Duration("duration", 30*time.Second, "how long to drive traffic")
	imports := flag.Int("import", 100_000, "dossiers to import through importDossiers (0: skip)")
	desks := flag.Int("desks", len(communes), "commune desks the clients receive at (1 or 2), each client at one")
	out := flag.String("out", "bench/results", "where to write the results")
	only := flag.String("db", "", "benchmark only this database (sqlite or postgres)")
	flag.Parse()
	ctx := context.Background()
	targets := []string{"sqlite"}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		targets = append(targets, "postgres")
	}
	if *only != "" {
		targets = slices.DeleteFunc(targets, func(t string) bool { return t != *only })
	}
	for _, t := range targets {
		res, err := run(ctx, t, *bin, *clients, *desks, *duration, *imports)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/load:", t+":", err)
			os.Exit(1)
		}
		fmt.Print(res)
		if err := os.MkdirAll(*out, 0o755); err == nil {
			_ = os.WriteFile(filepath.Join(*out, "load-"+t+".txt"), []byte(res), 0o644)
		}
	}
}

// run benchmarks one database.
func run(ctx context.Context, kind, bin string, clients, desks int, duration time.Duration, imports int) (string, error) {
	desks = min(max(desks, 1), len(communes))
	dir, err := os.MkdirTemp("", "lienthong-load-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	dbURL := "sqlite://" + filepath.Join(dir, "load.db")
	dbName := "" // the PostgreSQL database, whose backends' CPU is counted
	if kind == "postgres" {
		dbName = "lienthong_bench_load"
		if dbURL, err = store.PostgresDatabase(ctx, os.Getenv("TEST_DATABASE_URL"), dbName, true); err != nil {
			return "", err
		}
	}
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "AUTH_HS256_SECRET="+secret, "LIENTHONG_DEV=")
	// The baselines, the nth time: TPC-B-like, and a transition's own
	// statements on the server's schema (shape.go).
	measure := func(n int) (tpcb float64, shape shapeResult, err error) {
		shapeURL := "sqlite://" + filepath.Join(dir, fmt.Sprintf("shape%d.db", n))
		if kind == "postgres" {
			pgb, err := store.PostgresDatabase(ctx, os.Getenv("TEST_DATABASE_URL"), "lienthong_bench_pgbench", true)
			if err != nil {
				return 0, shape, err
			}
			if tpcb, err = pgbench(pgb, clients); err != nil {
				return 0, shape, err
			}
			if shapeURL, err = store.PostgresDatabase(ctx, os.Getenv("TEST_DATABASE_URL"), "lienthong_bench_shape", true); err != nil {
				return 0, shape, err
			}
		} else if tpcb, err = sqliteBaseline(ctx, filepath.Join(dir, fmt.Sprintf("baseline%d.db", n)), clients); err != nil {
			return 0, shape, err
		}
		shape, err = shapeBaseline(ctx, kind, bin, shapeURL, env, clients)
		return tpcb, shape, err
	}
	before, shapeBefore, err := measure(1)
	if err != nil {
		return "", err
	}

	seed := exec.Command(bin, "seed", "--dossiers", "-1")
	seed.Env = env
	if b, err := seed.CombinedOutput(); err != nil {
		return "", fmt.Errorf("seed: %w: %s", err, b)
	}
	addr, err := freeAddr()
	if err != nil {
		return "", err
	}
	srv := exec.Command(bin, "serve")
	srv.Env = append(env, "LISTEN_ADDR="+addr, "PPROF_ADDR="+os.Getenv("BENCH_PPROF_ADDR"))
	logf, _ := os.Create(filepath.Join(dir, "server.log"))
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		return "", err
	}
	defer func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		_ = srv.Wait()
	}()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return "", err
	}
	c := newClient(base, clients)
	if err := c.prepare(); err != nil {
		return "", err
	}

	// Traffic.
	cpu0 := cpuTicks(srv.Process.Pid, dbName)
	st := &stats{lat: map[string][]time.Duration{}, errs: map[string]int{}}
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 2026))
			for n := 0; time.Now().Before(deadline); n++ {
				c.route(rng, st, fmt.Sprintf("%d-%d", i, n), communes[i%desks])
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := cpuTicks(srv.Process.Pid, dbName)
	after, shapeAfter, err := measure(2)
	if err != nil {
		return "", err
	}
	baseline := (before + after) / 2
	shape := (shapeBefore.tps + shapeAfter.tps) / 2

	// Intake in bulk.
	var importTime time.Duration
	var imported int
	if imports > 0 {
		importTime, imported, err = c.importAll(imports)
		if err != nil {
			return "", err
		}
	}
	rss := peakRSS(srv.Process.Pid)

	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "\n%s — %d clients at %d desk(s), %s, on %s (%d cores)\n", kind, clients, desks, duration, host, runtime.NumCPU())
	fmt.Fprintf(&b, "baseline (%s): %.0f TPS (%.0f before the traffic, %.0f after)\n", baselineName(kind), baseline, before, after)
	n := st.transitions.Load()
	tps := float64(n) / elapsed.Seconds()
	who := "the loop's process, SQLite in it"
	if kind == "postgres" {
		who = "database backends"
	}
	fmt.Fprintf(&b, "same-shape baseline (a transfer's statements on the server's schema, database/sql, same clients): %.0f TPS (%.0f before, %.0f after); CPU per transaction: %s %.2f / %.2f ms\n",
		shape, shapeBefore.tps, shapeAfter.tps, who, shapeBefore.cpuMS, shapeAfter.cpuMS)
	fmt.Fprintf(&b, "transitions: %d in %s = %.0f/s; ratio to baseline %.2f, to the same-shape baseline %.2f\n", n, elapsed.Round(time.Millisecond), tps, tps/baseline, tps/shape)
	fmt.Fprintf(&b, "routes completed: %d; errors: %d; conflicts: %d\n", st.routes.Load(), st.errors(), st.errs["CONFLICT"])
	if n > 0 {
		perTx := func(ticks int64) string {
			return fmt.Sprintf("%.2f ms", float64(ticks)*1000/clockTicks/float64(n))
		}
		fmt.Fprintf(&b, "CPU per transition: server %s", perTx(cpu1.server-cpu0.server))
		if kind == "postgres" {
			fmt.Fprintf(&b, ", database backends %s", perTx(cpu1.db-cpu0.db))
		}
		fmt.Fprintf(&b, "; load generator %s\n", perTx(cpu1.load-cpu0.load))
	}
	fmt.Fprintf(&b, "server peak RSS: %.0f MB\n", float64(rss)/1024)
	if imports > 0 {
		fmt.Fprintf(&b, "importDossiers: %d dossiers in %s = %.0f/s\n", imported, importTime.Round(time.Millisecond), float64(imported)/importTime.Seconds())
	}
	fmt.Fprintf(&b, "%-22s %8s %9s %9s %9s\n", "mutation", "count", "p50", "p95", "p99")
	names := make([]string, 0, len(st.lat))
	for k := range st.lat {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		l := st.lat[k]
		slices.Sort(l)
		p := func(q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
		fmt.Fprintf(&b, "%-22s %8d %9s %9s %9s\n", k, len(l), p(0.50).Round(10*time.Microsecond), p(0.95).Round(10*time.Microsecond), p(0.99).Round(10*time.Microsecond))
	}
	for code, k := range st.errs {
		fmt.Fprintf(&b, "error %s: %d (e.g. %s)\n", code, k, st.example[code])
	}
	return b.String(), nil
}

func baselineName(kind string) string {
	if kind == "postgres" {
		return "pgbench TPC-B-like, same clients"
	}
	return "TPC-B-like database/sql loop with the server's pragmas, same clients"
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat times.
const clockTicks = 100

type ticks struct{ server, db, load int64 }

// cpuTicks reads the CPU time (user and system) used so far by the server
// and this load generator and, with db set, by the PostgreSQL backends
// connected to database db.
// CPU per transition moves less than wall-clock rates on a shared machine.
func cpuTicks(server int, db string) ticks {
	t := ticks{server: procTicks(server), load: procTicks(os.Getpid())}
	if db == "" {
		return t
	}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		// A backend's title: "postgres: [cluster: ]user db host(port) state".
		cmd, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if f := strings.Fields(strings.ReplaceAll(string(cmd), "\x00", " ")); len(f) > 3 && f[0] == "postgres:" && slices.Contains(f[1:4], db) {
			t.db += procTicks(pid)
		}
	}
	return t
}

func procTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command's closing parenthesis; utime and stime are
	// the stat file's 14th and 15th.
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// peakRSS reads the process's peak resident set size in kB.
func peakRSS(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(base string) error {
	for range 200 {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("server not ready after 10 s")
}

// pgbench runs the TPC-B-like script with clients for 15 s.
func pgbench(dbURL string, clients int) (float64, error) {
	if b, err := exec.Command("pgbench", "-i", "-q", "-s", "1", dbURL).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("pgbench -i: %w: %s", err, b)
	}
	b, err := exec.Command("pgbench", "-n", "-c", strconv.Itoa(clients), "-j", "2", "-T", "15", dbURL).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w: %s", err, b)
	}
	m := regexp.MustCompile(`tps = ([0-9.]+)`).FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("pgbench: no tps in %s", b)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// sqliteBaseline runs pgbench's TPC-B-like transaction (three updates, a
// select, an insert) against a SQLite file opened as the server opens its
// database, with clients goroutines for 10 s.
func sqliteBaseline(ctx context.Context, path string, clients int) (float64, error) {
	db, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	conn := db.SQL
	for _, s := range []string{
		"CREATE TABLE branches (bid INTEGER PRIMARY KEY, bbalance INTEGER NOT NULL)",
		"CREATE TABLE tellers (tid INTEGER PRIMARY KEY, bid INTEGER NOT NULL, tbalance INTEGER NOT NULL)",
		"CREATE TABLE accounts (aid INTEGER PRIMARY KEY, bid INTEGER NOT NULL, abalance INTEGER NOT NULL)",
		"CREATE TABLE history (tid INTEGER, bid INTEGER, aid INTEGER, delta INTEGER, mtime TEXT)",
		"INSERT INTO branches VALUES (1, 0)",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return 0, err
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	for i := 1; i <= 10; i++ {
		if _, err := tx.ExecContext(ctx, "INSERT INTO tellers VALUES (?, 1, 0)", i); err != nil {
			return 0, err
		}
	}
	for i := 1; i <= 100_000; i++ {
		if _, err := tx.ExecContext(ctx, "INSERT INTO accounts VALUES (?, 1, 0)", i); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	rngs := make([]*rand.Rand, clients)
	for c := range rngs {
		rngs[c] = rand.New(rand.NewPCG(uint64(c), 1))
	}
	return forClients(clients, func(c, _ int) (bool, error) {
		rng := rngs[c]
		aid, tid, delta := 1+rng.IntN(100_000), 1+rng.IntN(10), rng.IntN(10001)-5000
		err := func() error {
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, "UPDATE accounts SET abalance = abalance + ? WHERE aid = ?", delta, aid); err != nil {
				return err
			}
			var bal int
			if err := tx.QueryRowContext(ctx, "SELECT abalance FROM accounts WHERE aid = ?", aid).Scan(&bal); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE tellers SET tbalance = tbalance + ? WHERE tid = ?", delta, tid); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE branches SET bbalance = bbalance + ? WHERE bid = 1", delta); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO history VALUES (?, 1, ?, ?, ?)", tid, aid, delta, time.Now().Format(time.RFC3339Nano)); err != nil {
				return err
			}
			return tx.Commit()
		}()
		return err == nil, nil // a failed transaction is not counted
	})
}

// baselineRun is how long each baseline loop runs.
const baselineRun = 10 * time.Second

// forClients runs step on clients goroutines, each over and over (i counts
// a client's steps), for baselineRun, and returns the steps per second
// that step counted. An error stops every client and is returned.
func forClients(clients int, step func(c, i int) (bool, error)) (float64, error) {
	var n atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(baselineRun)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				counted, err := step(c, i)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				if counted {
					n.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, err
	}
	return float64(n.Load()) / baselineRun.Seconds(), nil
}

// stats collects latencies per mutation and errors per code.
type stats struct {
	mu          sync.Mutex
	lat         map[string][]time.Duration
	errs        map[string]int
	example     map[string]string
	transitions atomic.Int64
	routes      atomic.Int64
}

func (s *stats) record(name string, d time.Duration, code, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code != "" {
		s.errs[code]++
		if s.example == nil {
			s.example = map[string]string{}
		}
		s.example[code] = name + ": " + msg
		return
	}
	s.lat[name] = append(s.lat[name], d)
}

func (s *stats) errors() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for code, k := range s.errs {
		if code != "CONFLICT" {
			n += k
		}
	}
	return n
}

// client speaks GraphQL to the server with the demo officers' tokens.
type client struct {
	base   string
	http   *http.Client
	tokens map[string]string
	taxID  string
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	c := &client{base: base, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}, tokens: map[string]string{}}
	for _, o := range demo.Officers {
		tok, err := auth.Sign([]byte(secret), auth.SignInput{Issuer: "lienthong", Audience: "lienthong", Subject: o.Subject, Name: o.Name, Agency: o.Agency, Roles: o.Roles, TTL: 2 * time.Hour})
		if err == nil {
			c.tokens[o.Subject] = tok
		}
	}
	return c
}

type gqlResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// do runs one operation as officer; it returns the first error's code.
func (c *client) do(officer, query string, vars map[string]any, into any) (string, string) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.tokens[officer])
	resp, err := c.http.Do(req)
	if err != nil {
		return "TRANSPORT", err.Error()
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return "HTTP_" + strconv.Itoa(resp.StatusCode), string(raw)
	}
	if len(r.Errors) > 0 {
		code, _ := r.Errors[0].Extensions["code"].(string)
		return code, r.Errors[0].Message
	}
	if into != nil {
		for _, v := range r.Data {
			_ = json.Unmarshal(v, into)
		}
	}
	return "", ""
}

func (c *client) prepare() error {
	var ags struct {
		Edges []struct{ Node struct{ ID, Code string } }
	}
	if code, msg := c.do("admin", `{ agencies(first: 100) { edges { node { id code } } } }`, nil, &ags); code != "" {
		return fmt.Errorf("agencies: %s %s", code, msg)
	}
	for _, e := range ags.Edges {
		if e.Node.Code == demo.Tax {
			c.taxID = e.Node.ID
		}
	}
	if c.taxID == "" {
		return errors.New("no tax agency in the demo province")
	}
	return nil
}

// communes are the demo's commune desks, with their desk officer
// (desk.<name>) and specialist (cv.<name>); client i works at desk i mod -desks.
var communes = []string{"giolinh", "dongha"}

const receive = `mutation($in: ReceiveDossierInput!) { receiveDossier(input: $in) { id } }`

func (c *client) fire(st *stats, name, officer, query string, vars map[string]any, into any) bool {
	t := time.Now()
	code, msg := c.do(officer, query, vars, into)
	st.record(name, time.Since(t), code, msg)
	if code == "" {
		st.transitions.Add(1)
	}
	return code == ""
}

// route takes one dossier of a demo procedure through its whole route,
// with supplementation, send-backs and coordination some of the time.
func (c *client) route(rng *rand.Rand, st *stats, tag, commune string) {
	desk, cv := "desk."+commune, "cv."+commune
	land := rng.IntN(10) < 4
	in := map[string]any{
		"procedureCode": "1.001193", "channel": "DIRECT",
		"applicant":  map[string]any{"name": "Khách " + tag, "idNumber": fmt.Sprintf("0452%08d", rng.IntN(1e8))},
		"components": []map[string]any{{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh", "digitized": true}},
	}
	if land {
		in["procedureCode"] = "1.013978"
		in["components"] = []map[string]any{{"name": "Đơn đăng ký đất đai, tài sản gắn liền với đất"}, {"name": "Giấy tờ về quyền sử dụng đất"}, {"name": "Mảnh trích đo địa chính"}}
	}
	var d struct{ ID string }
	if !c.fire(st, "receiveDossier", desk, receive, map[string]any{"in": in}, &d) {
		return
	}
	id := map[string]any{"id": d.ID}
	step := func(name, officer, call string) bool {
		return c.fire(st, name, officer, `mutation($id: ID!) { `+call+` { id state } }`, id, nil)
	}
	if !step("forwardDossier", desk, "forwardDossier(id: $id)") {
		return
	}
	if rng.IntN(5) == 0 { // supplementation asked by the commune
		if !step("requestSupplement", cv, `requestSupplement(id: $id, reason: "Thiếu giấy tờ", items: ["Bản sao giấy tờ tùy thân"])`) ||
			!step("supplementDossier", desk, "supplementDossier(id: $id)") {
			return
		}
	}
	if land {
		if !step("transferDossier", cv, `transferDossier(id: $id, note: "Chuyển Sở")`) {
			return
		}
		if rng.IntN(5) == 0 { // sent back to the commune and transferred again
			if !step("sendBackDossier", "cv.moitruong", `sendBackDossier(id: $id, reason: "Thiếu xác nhận hiện trạng")`) ||
				!step("transferDossier", cv, `transferDossier(id: $id, note: "Đã bổ sung xác nhận")`) {
				return
			}
		}
		if rng.IntN(3) == 0 { // the department consults the tax office
			if !step("coordinateDossier", "cv.moitruong", `coordinateDossier(id: $id, input: {agencies: [{agencyID: "`+c.taxID+`", allottedMinutes: 960}]})`) ||
				!step("replyCoordination", "cv.thue", `replyCoordination(id: $id, agree: true, opinion: "Thống nhất")`) {
				return
			}
		}
		if !step("transferDossier", "cv.moitruong", `transferDossier(id: $id, note: "Chuyển cơ quan thuế")`) ||
			!step("transferDossier", "cv.thue", `transferDossier(id: $id, note: "Đã xác định nghĩa vụ tài chính")`) ||
			!step("returnDossier", "cv.moitruong", `returnDossier(id: $id, result: "Giấy chứng nhận")`) {
			return
		}
	} else if !step("returnDossier", cv, `returnDossier(id: $id, result: "Giấy khai sinh")`) {
		return
	}
	if step("completeDossier", desk, "completeDossier(id: $id)") {
		st.routes.Add(1)
	}
}

// importAll imports n birth registrations as the one-stop electronic
// system, 500 per call, 4 calls at a time.
func (c *client) importAll(n int) (time.Duration, int, error) {
	const batch = 500
	var created atomic.Int64
	var firstErr error
	var mu sync.Mutex
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	start := time.Now()
	for from := 0; from < n; from += batch {
		items := make([]map[string]any, 0, batch)
		for i := from; i < min(from+batch, n); i++ {
			items = append(items, map[string]any{
				"procedureCode": "1.001193", "channel": "DIRECT", "deskAgencyCode": demo.CommuneA,
				"externalCode": fmt.Sprintf("MC-%07d", i), "source": "MOTCUA",
				"applicant":  map[string]any{"name": "Nhập " + strconv.Itoa(i), "idNumber": fmt.Sprintf("0452%08d", i)},
				"components": []map[string]any{{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"}},
			})
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var res []struct{ Status string }
			code, msg := c.do("motcua.system", `mutation($in: [ReceiveDossierInput!]!) { importDossiers(inputs: $in) { status } }`, map[string]any{"in": items}, &res)
			mu.Lock()
			defer mu.Unlock()
			if code != "" && firstErr == nil {
				firstErr = fmt.Errorf("importDossiers: %s %s", code, msg)
			}
			for _, r := range res {
				if r.Status == "CREATED" {
					created.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), int(created.Load()), firstErr
}
