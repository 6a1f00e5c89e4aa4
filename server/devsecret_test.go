package server_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lienthong/auth"
	"lienthong/server"
)

// TestDevSecret: dev mode's generated HS256 secret lives beside the SQLite
// database (in the user's config directory for PostgreSQL), not in the
// working directory, readable by its owner only; the log names the file,
// never the secret; and every command finds the same one from anywhere.
func TestDevSecret(t *testing.T) {
	t.Chdir(t.TempDir())
	data := filepath.Join(t.TempDir(), "data")
	t.Setenv("LIENTHONG_DEV", "1")
	t.Setenv("AUTH_HS256_SECRET", "")
	t.Setenv("AUTH_JWKS", "")
	t.Setenv("AUTH_ISSUER", "")
	t.Setenv("AUTH_AUDIENCE", "")
	t.Setenv("DATABASE_URL", "sqlite://"+filepath.Join(data, "lt.db")+"?_busy_timeout=5000")
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	token := func() string {
		t.Helper()
		var out bytes.Buffer
		cmd := server.Command()
		cmd.Writer, cmd.ErrWriter = &out, &out
		if err := cmd.Run(t.Context(), []string{"lienthong", "token", "--sub", "desk.giolinh", "--agency", "000.20.01.H43", "--role", "DESK_OFFICER"}); err != nil {
			t.Fatalf("lienthong token: %v\n%s", err, out.String())
		}
		return strings.TrimSpace(out.String())
	}
	// readSecret checks the file's and its directory's modes and returns
	// the secret.
	readSecret := func(path string, dirMode os.FileMode) []byte {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatalf("the dev secret is not at %s: %v", path, err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", path, fi.Mode().Perm())
		}
		if di, err := os.Stat(filepath.Dir(path)); err != nil || di.Mode().Perm() != dirMode {
			t.Errorf("%s: %v %v, want mode %v", filepath.Dir(path), di.Mode().Perm(), err, dirMode)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.TrimSpace(b)
	}
	verify := func(secret []byte, tokens ...string) {
		t.Helper()
		v, err := auth.NewVerifier(t.Context(), auth.Config{HS256Secret: secret, Issuer: "lienthong", Audience: "lienthong"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if _, err := v.Verify(tok); err != nil {
				t.Errorf("a token of `lienthong token` does not verify with the secret in the file: %v", err)
			}
		}
	}

	first := token()
	path := filepath.Join(data, ".lienthong-dev-secret")
	secret := readSecret(path, 0o700)
	if files, _ := os.ReadDir("."); len(files) > 0 {
		t.Errorf("lienthong token left %s in the working directory", files[0].Name())
	}
	if strings.Contains(logs.String(), string(secret)) {
		t.Errorf("the log repeats the secret: %s", logs.String())
	}
	if !strings.Contains(logs.String(), path) {
		t.Errorf("the log does not name the file %s: %s", path, logs.String())
	}

	// From another working directory, the same secret: not generated again.
	t.Chdir(t.TempDir())
	logs.Reset()
	second := token()
	verify(secret, first, second)
	if strings.Contains(logs.String(), "generated") {
		t.Errorf("a second command generated another secret: %s", logs.String())
	}
	if got, err := server.FromEnv().Secret(); err != nil || !bytes.Equal(got, secret) {
		t.Errorf("Config.Secret() (serve's and seed's) = %q, %v, want the file's", got, err)
	}

	// A file others could read is made the owner's.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	verify(secret, token())
	readSecret(path, 0o700)

	// PostgreSQL has no database file: the user's config directory.
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
	logs.Reset()
	pg := token()
	pgPath := filepath.Join(config, "lienthong", "dev-secret")
	pgSecret := readSecret(pgPath, 0o700)
	verify(pgSecret, pg)
	if strings.Contains(logs.String(), string(pgSecret)) || !strings.Contains(logs.String(), pgPath) {
		t.Errorf("log = %s, want the file %s named and the secret not", logs.String(), pgPath)
	}
	if files, _ := os.ReadDir("."); len(files) > 0 {
		t.Errorf("lienthong token left %s in the working directory", files[0].Name())
	}
}
