package server_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"lienthong/server"
)

// Every command answers -h and --help with its usage and flags, and
// touches nothing: no database file appears, no secret is written.
func TestCommandHelpTouchesNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("DATABASE_URL", "")
	t.Setenv("LIENTHONG_DEV", "1")
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"serve", "--help"}, {"migrate", "-h"}, {"seed", "--help"}, {"rollups", "--help"}, {"token", "--help"},
		{"directory", "--help"}, {"directory", "import", "--help"}, {"directory", "export", "-h"},
		{"backup", "--help"}, {"restore", "-h"},
	} {
		var out bytes.Buffer
		cmd := server.Command()
		cmd.Writer, cmd.ErrWriter = &out, &out
		if err := cmd.Run(context.Background(), append([]string{"lienthong"}, args...)); err != nil {
			t.Errorf("lienthong %v: %v", args, err)
		}
		if !strings.Contains(out.String(), "USAGE:") {
			t.Errorf("lienthong %v printed no usage:\n%s", args, out.String())
		}
		if files, _ := os.ReadDir("."); len(files) > 0 {
			t.Fatalf("lienthong %v left %s behind", args, files[0].Name())
		}
	}
}
