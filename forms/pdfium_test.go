package forms_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	once  sync.Once
	pool  pdfium.Pool
	pdf   pdfium.Pdfium
	cache wazero.CompilationCache
	err   error
}

// pdfiumCacheDir is where wazero keeps its machine code of pdfium (about
// 6 MB of WebAssembly, some seconds to compile) between runs:
// LIENTHONG_WAZERO_CACHE, or lienthong/wazero-VERSION under the user's
// cache directory; "" (LIENTHONG_WAZERO_CACHE=off) for none. wazero keys
// its entries by the module's hash and the CPU, and would key them by its
// own version too, but a test binary carries no module versions (wazero
// then says "dev"): the version in the directory's name, read from go.mod,
// keeps an upgrade of wazero from loading code that an older one compiled.
func pdfiumCacheDir() string {
	if dir := os.Getenv("LIENTHONG_WAZERO_CACHE"); dir != "" {
		if dir == "off" {
			return ""
		}
		return dir
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	mod, err := os.ReadFile("../go.mod") // go test runs in the package's directory
	if err != nil {
		return ""
	}
	version := ""
	for line := range strings.Lines(string(mod)) {
		f := strings.Fields(line)
		i := slices.Index(f, "github.com/tetratelabs/wazero")
		switch {
		case i < 0:
		case strings.Contains(line, "=>"):
			return "" // replaced: no version to go by
		case i+1 < len(f):
			version = f[i+1]
		}
	}
	if version == "" {
		return ""
	}
	return filepath.Join(base, "lienthong", "wazero-"+version)
}

func startPDFium() {
	ctx := context.Background()
	// The bundled pdfium needs WebAssembly exception handling (its
	// setjmp/longjmp), as webassembly.Init's default configuration has.
	cfg := wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling)
	if dir := pdfiumCacheDir(); dir != "" {
		if cache, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
			reader.cache = cache
			cfg = cfg.WithCompilationCache(cache)
		}
	}
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
	if reader.cache != nil {
		errs = append(errs, reader.cache.Close(context.Background()))
	}
	return errors.Join(errs...)
}
