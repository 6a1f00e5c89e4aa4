package forms_test

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"testing"
)

// TestMain is servertest.Main's, which exits itself, with the PDF reader
// closed after the tests.
func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() && os.Getenv("TEST_LOG") == "" {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	code := m.Run()
	if err := closePDFium(); err != nil {
		fmt.Fprintln(os.Stderr, "pdfium:", err)
		code = max(code, 1)
	}
	os.Exit(code)
}
