package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the operational contract: every setting comes from the
// environment (FromEnv); tests build one directly.
type Config struct {
	DatabaseURL string
	ListenAddr  string
	HS256Secret string
	JWKS        string
	// JWKSRefresh is how often a JWKS URL is read again: at least
	// minJWKSRefresh.
	JWKSRefresh time.Duration
	Issuer      string
	Audience    string
	Dev         bool
	CORSOrigins []string
	// SweepEvery is how often the sweeper looks for overdue and due-soon
	// dossiers; 0 turns it off in this instance.
	SweepEvery time.Duration
	// WebhookPoll is how often the webhook dispatcher looks for due
	// deliveries; 0 turns it off in this instance.
	WebhookPoll time.Duration
	// TrackingURL is the public tracking address printed as a QR code on
	// the receipt and the apology.
	TrackingURL string
	// WebhookKeys encrypt webhook secrets at rest (see webhook.ParseKeys).
	WebhookKeys string
	// WebhookAllowNetworks lists the internal networks webhooks may
	// reach nonetheless, comma-separated CIDRs (see webhook.ParseNetworks);
	// every other internal address is refused. Dev mode adds loopback.
	WebhookAllowNetworks string
	// PprofAddr, when set, serves net/http/pprof on this separate address.
	PprofAddr string
	// MaxConnections bounds the connections served at once; more wait to
	// be accepted.
	MaxConnections int
	// MetricsAddr, when set, serves /metrics on this separate address,
	// and the main listener does not serve it.
	MetricsAddr string
}

// FromEnv reads the configuration from the environment (README,
// Configuration).
func FromEnv() Config {
	c := Config{
		DatabaseURL: getenv("DATABASE_URL", "sqlite://lienthong.db"),
		ListenAddr:  getenv("LISTEN_ADDR", "127.0.0.1:8080"),
		HS256Secret: os.Getenv("AUTH_HS256_SECRET"),
		JWKS:        os.Getenv("AUTH_JWKS"),
		JWKSRefresh: durationEnv("AUTH_JWKS_REFRESH", 5*time.Minute),
		Issuer:      getenv("AUTH_ISSUER", "lienthong"),
		Audience:    getenv("AUTH_AUDIENCE", "lienthong"),
		Dev:         os.Getenv("LIENTHONG_DEV") == "1",
		SweepEvery:  durationEnv("SWEEP_INTERVAL", time.Minute),
		WebhookPoll: durationEnv("WEBHOOK_POLL_INTERVAL", time.Second),
		WebhookKeys: os.Getenv("WEBHOOK_KEYS"),
		PprofAddr:   os.Getenv("PPROF_ADDR"),
		MetricsAddr: os.Getenv("METRICS_ADDR"),

		WebhookAllowNetworks: os.Getenv("WEBHOOK_ALLOW_NETWORKS"),
	}
	c.MaxConnections = 4096
	if n, err := strconv.Atoi(os.Getenv("MAX_CONNECTIONS")); err == nil && n > 0 {
		c.MaxConnections = n
	}
	c.TrackingURL = getenv("TRACKING_BASE_URL", "http://"+c.ListenAddr+"/tra-cuu")
	for _, o := range strings.Split(os.Getenv("CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if c.Dev && len(c.CORSOrigins) == 0 {
		c.CORSOrigins = []string{"http://localhost:*", "http://127.0.0.1:*"}
	}
	return c
}

// minJWKSRefresh bounds how often one instance reads the identity
// provider's JWKS, so that a typo (5ms) does not flood it.
const minJWKSRefresh = time.Second

// originHosts turns CORS origins (scheme://host[:port], with * patterns)
// into the host patterns the websocket origin check takes.
func originHosts(origins []string) []string {
	var out []string
	for _, o := range origins {
		if _, host, ok := strings.Cut(o, "://"); ok {
			out = append(out, host)
		} else {
			out = append(out, o)
		}
	}
	return out
}

// durationEnv reads a non-negative duration, def when unset or invalid.
func durationEnv(key string, def time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		slog.Error(key+" is not a duration: using the default", "value", v, "default", def)
		return def
	}
	return d
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// devSecretFile keeps dev mode's generated HS256 secret beside the SQLite
// database, so that `make run`, `seed`, `token` and `serve` agree on it
// from any working directory, as they do on the database.
const devSecretFile = ".lienthong-dev-secret"

// devSecretPath is where dev mode keeps its secret: devSecretFile in the
// SQLite database's directory, or, for PostgreSQL (no file of ours) and
// an in-memory SQLite, lienthong/dev-secret in the user's configuration
// directory ($XDG_CONFIG_HOME or ~/.config on Linux).
func (c Config) devSecretPath() (string, error) {
	if db, ok := strings.CutPrefix(c.DatabaseURL, "sqlite://"); ok {
		db, _, _ = strings.Cut(db, "?") // as store.Open reads it
		if db != "" && !strings.Contains(db, ":memory:") {
			return filepath.Join(filepath.Dir(db), devSecretFile), nil
		}
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("dev secret: %w (or set AUTH_HS256_SECRET)", err)
	}
	return filepath.Join(dir, "lienthong", "dev-secret"), nil
}

// Secret returns the HS256 secret: the configured one, or in dev mode a
// generated one kept in a file only its owner reads (devSecretPath); nil
// when neither applies. The secret is never logged, the file's path is.
func (c Config) Secret() ([]byte, error) {
	if c.HS256Secret != "" {
		return []byte(c.HS256Secret), nil
	}
	if !c.Dev {
		return nil, nil
	}
	path, err := c.devSecretPath()
	if err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	b, err := os.ReadFile(path)
	switch {
	case err == nil && len(bytes.TrimSpace(b)) >= 32:
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, fmt.Errorf("dev secret: %w", err)
			}
			slog.Warn("dev mode: the HS256 secret file was readable by others: made it 0600", "file", path)
		}
		return bytes.TrimSpace(b), nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read dev secret: %w", err)
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(buf)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("write dev secret: %w", err)
	}
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write dev secret: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil { // WriteFile keeps an existing file's mode
		return nil, fmt.Errorf("write dev secret: %w", err)
	}
	slog.Warn("dev mode: generated an HS256 secret", "file", path)
	return []byte(s), nil
}
