package problem_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"lienthong/problem"
)

func TestWrite(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
		code   string
		msg    string
	}{
		{problem.BadInput("year", "year is required"), 400, "BAD_USER_INPUT", "year is required"},
		{fmt.Errorf("report: %w", problem.NotFound("no agency %s", "X")), 404, "NOT_FOUND", "no agency X"},
		{problem.Forbidden("reports are for analysts"), 403, "FORBIDDEN", "reports are for analysts"},
		{problem.Conflict(problem.DetailStaleVersion, "changed"), 409, "CONFLICT", "changed"},
		{errors.New("pq: relation does not exist"), 500, "INTERNAL", "internal error"}, // nothing internal leaks
	} {
		rec := httptest.NewRecorder()
		problem.Write(rec, slog.New(slog.DiscardHandler), tt.err)
		var body map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if rec.Code != tt.status || body["code"] != tt.code || body["message"] != tt.msg {
			t.Errorf("Write(%v) = %d %v, want %d %s %q", tt.err, rec.Code, body, tt.status, tt.code, tt.msg)
		}
	}
	if problem.Status(problem.CodeRateLimited) != http.StatusTooManyRequests {
		t.Errorf("RATE_LIMITED is not 429")
	}
}

func TestClip(t *testing.T) {
	if got := problem.Clip("Hồ sơ", 3); got != "H…" {
		t.Errorf("Clip cut inside a rune: %q", got)
	}
	if got := problem.Clip("abc", 3); got != "abc" {
		t.Errorf("Clip(abc, 3) = %q", got)
	}
}
