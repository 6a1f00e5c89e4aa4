package forms_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// reader is the PDF reader of the test binary: pdfium compiled to
// WebAssembly and run by wazero, in Go, with no system library. The first
// test that reads a PDF starts it; TestMain closes it.
var reader struct {
	once sync.Once
	pool pdfium.Pool
	pdf  pdfium.Pdfium
	err  error
}

func startPDFium() {
	ctx := context.Background()
	// The bundled pdfium needs WebAssembly exception handling (its
	// setjmp/longjmp), as webassembly.Init's default configuration has.
	cfg := wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling)
	reader.pool, reader.err = webassembly.Init(webassembly.Config{
		Context: ctx, MinIdle: 1, MaxIdle: 1, MaxTotal: 1, ReuseWorkers: true,
		// pdfium reads the documents from memory: no host directory.
		FSConfig:      wazero.NewFSConfig(),
		RuntimeConfig: cfg,
	})
	if reader.err != nil {
		return
	}
	reader.pdf, reader.err = reader.pool.GetInstance(time.Minute)
}

// pdfiumInstance is the test binary's pdfium, started on first use.
func pdfiumInstance(t *testing.T) pdfium.Pdfium {
	t.Helper()
	reader.once.Do(startPDFium)
	if reader.err != nil {
		t.Fatalf("pdfium: %v", reader.err)
	}
	return reader.pdf
}

// closePDFium closes the reader if a test started it.
func closePDFium() error {
	var errs []error
	if reader.pdf != nil {
		errs = append(errs, reader.pdf.Close())
	}
	if reader.pool != nil {
		errs = append(errs, reader.pool.Close())
	}
	return errors.Join(errs...)
}
