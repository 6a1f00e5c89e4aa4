package directory_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"lienthong/auth"
	"lienthong/demo"
	"lienthong/directory"
	"lienthong/ent/procedure"
	"lienthong/server/servertest"
)

func TestMain(m *testing.M) { servertest.Main(m) }

func demoSource(t *testing.T) *directory.Source {
	t.Helper()
	src, err := demo.Directory()
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// The demo province imports into an empty database; the same file again
// changes nothing; export, import into another empty database and export
// again give the same file.
func TestImportIdempotentAndRoundTrip(t *testing.T) {
	servertest.Each(t, servertest.Empty, func(t *testing.T, e *servertest.Env) {
		ctx := t.Context()
		src := demoSource(t)
		dry, err := directory.Import(ctx, e.App.DB.Client, src, true)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := e.App.DB.Client.Agency.Query().Count(auth.SystemContext(ctx)); n != 0 || dry.AgenciesCreated != 12 {
			t.Fatalf("dry run: %d agencies in the database, report %+v; want none written and 12 to create", n, dry)
		}
		rep, err := directory.Import(ctx, e.App.DB.Client, src, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.AgenciesCreated != 12 || rep.ProceduresCreated != 10 || rep.OfficersCreated != len(demo.Officers) {
			t.Errorf("first import: %+v, want 12 agencies, 10 procedures, %d officers", rep, len(demo.Officers))
		}
		again, err := directory.Import(ctx, e.App.DB.Client, src, false)
		if err != nil {
			t.Fatal(err)
		}
		if again.Changed() {
			t.Errorf("importing the same file again changed %v", again.Changes)
		}
		// A desk officer of an imported agency receives a dossier.
		d := e.MustDo(e.As("desk.giolinh"), servertest.Receive, map[string]any{"in": servertest.LandInput("Nguyễn Văn Nhập")})
		if servertest.Str(d, "receiveDossier", "state") != "RECEIVED" {
			t.Errorf("receive after import: %v", d)
		}

		first := export(t, e)
		other := servertest.New(t, servertest.Databases(t)[dbName(e)](t), servertest.Empty)
		back, err := directory.Parse("exported.yaml", first)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := directory.Import(ctx, other.App.DB.Client, back, false); err != nil {
			t.Fatal(err)
		}
		if second := export(t, other); !bytes.Equal(first, second) {
			t.Errorf("export → import → export differs:\n%s\n---\n%s", first, second)
		}
		if !bytes.Contains(first, []byte("code: 000.20.01.H43")) || !bytes.Contains(first, []byte("kind: tax")) {
			t.Errorf("export lacks the agencies:\n%s", first)
		}
	})
}

func dbName(e *servertest.Env) string {
	if strings.HasPrefix(e.URL, "postgres") {
		return "postgres"
	}
	return "sqlite"
}

func export(t *testing.T, e *servertest.Env) []byte {
	t.Helper()
	f, err := directory.Export(t.Context(), e.App.DB.Client)
	if err != nil {
		t.Fatal(err)
	}
	b, err := directory.Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A file with mistakes is refused whole, each problem named with its line
// and field; nothing is written.
func TestImportReportsEveryProblem(t *testing.T) {
	const bad = `version: 1
agencies:
  - code: 000.00.00.H99
    name: Ủy ban nhân dân tỉnh
    level: PROVINCE
  - code: 000.00.40.H99
    name: Thuế tỉnh
    level: CENTRAL
    kind: tax
    parent: 000.00.77.H99
  - code: 000.00.00.H99
    name: Trùng mã
    level: PROVINCE
procedures:
  - code: "1.001193"
    name: Thủ tục đăng ký khai sinh
    field: Hộ tịch
    limit:
      legal: 1
      province: 2
    channels: [DIRECT]
    route:
      - role: LEAD
        days: 1
      - role: COORDINATE
        kind: police
        days: 1
officers:
  - subject: cv.x
    name: Cán bộ
    agency: 000.00.00.H99
    roles: [CLERK]
`
	servertest.Each(t, servertest.Empty, func(t *testing.T, e *servertest.Env) {
		src, err := directory.Parse("bad.yaml", []byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		_, err = directory.Import(t.Context(), e.App.DB.Client, src, false)
		var ps directory.Problems
		if !errors.As(err, &ps) {
			t.Fatalf("Import = %v, want problems", err)
		}
		got := ps.Error()
		for _, want := range []string{
			"bad.yaml:10: agencies[1].parent: no agency 000.00.77.H99",
			"bad.yaml:11: agencies[2].code: agency 000.00.00.H99 is listed twice",
			"bad.yaml:20: procedures[0].limit.province: the province's limit 2 is above the legal limit 1",
			"bad.yaml:26: procedures[0].route[1].kind: the province has no active agency of kind \"police\"",
			"bad.yaml:32: officers[0].roles[0]: unknown role \"CLERK\"",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("problems lack %q:\n%s", want, got)
			}
		}
		if n, _ := e.App.DB.Client.Agency.Query().Count(auth.SystemContext(t.Context())); n != 0 {
			t.Errorf("a refused file wrote %d agencies", n)
		}
		if _, err := directory.Parse("typo.yaml", []byte("version: 1\nagencys: []\n")); err == nil || !strings.Contains(err.Error(), "typo.yaml:2") {
			t.Errorf("an unknown key: %v, want it refused at line 2", err)
		}
	})
}

// A changed procedure becomes a new revision; a dossier received before
// keeps the version it was received under.
func TestImportRevisesChangedProcedure(t *testing.T) {
	// The server reads which version is current afresh for each intake (a
	// running server sees an import within its CacheTTL).
	uncached := servertest.Seeded
	uncached.CacheTTL = time.Nanosecond
	servertest.Each(t, uncached, func(t *testing.T, e *servertest.Env) {
		ctx := t.Context()
		desk := e.As("desk.giolinh")
		before := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Trước Sửa")})
		src := demoSource(t)
		for i := range src.File.Procedures {
			if src.File.Procedures[i].Code == "1.001193" {
				src.File.Procedures[i].Fee = 8000
			}
		}
		rep, err := directory.Import(ctx, e.App.DB.Client, src, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.ProceduresRevised != 1 || rep.Changes[0] != "procedure 1.001193: version 2" {
			t.Fatalf("import after a fee change: %+v", rep)
		}
		p, err := e.App.DB.Client.Procedure.Query().Where(procedure.Code("1.001193"), procedure.Current(true)).Only(auth.SystemContext(ctx))
		if err != nil || p.Version != 2 || p.Fee != 8000 {
			t.Fatalf("current version = %+v, %v; want version 2 with fee 8000", p, err)
		}
		if v := servertest.Num(before, "receiveDossier", "procedure", "version"); v != 1 {
			t.Errorf("dossier received before: version %d, want 1", v)
		}
		after := e.MustDo(desk, servertest.Receive, map[string]any{"in": servertest.BirthInput("Sau Sửa")})
		if v := servertest.Num(after, "receiveDossier", "procedure", "version"); v != 2 {
			t.Errorf("dossier received after: version %d, want 2", v)
		}
	})
}
