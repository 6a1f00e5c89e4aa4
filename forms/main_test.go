package forms_test

import (
	"testing"

	"lienthong/server/servertest"
)

func TestMain(m *testing.M) { servertest.Main(m) }
