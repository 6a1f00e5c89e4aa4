package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
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
	// PprofAddr, when set, serves net/http/pprof on this separate address.
	PprofAddr string
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

// devSecretFile keeps the generated development secret beside the SQLite
// file, so that `seed`, `token` and `serve` agree on it.
const devSecretFile = ".lienthong-dev-secret"

// Secret returns the HS256 secret: the configured one, or in dev mode a
// generated one kept in devSecretFile; nil when neither applies.
func (c Config) Secret() ([]byte, error) {
	if c.HS256Secret != "" {
		return []byte(c.HS256Secret), nil
	}
	if !c.Dev {
		return nil, nil
	}
	if b, err := os.ReadFile(devSecretFile); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(buf)
	if err := os.WriteFile(devSecretFile, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write dev secret: %w", err)
	}
	abs, _ := filepath.Abs(devSecretFile)
	slog.Warn("dev mode: generated an HS256 secret", "file", abs, "secret", s)
	return []byte(s), nil
}
