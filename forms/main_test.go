package forms_test

import (
	"testing"

	"lienthong/server/servertest"
)

// TestMain closes the PDF reader the tests share once they are done.
func TestMain(m *testing.M) { servertest.Main(m, closePDFium) }
