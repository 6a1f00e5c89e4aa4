package webhook

import (
	"strings"
	"testing"
)

func TestKeys(t *testing.T) {
	const a, b = "dGVzdC13ZWJob29rLWtleS0zMi1ieXRlcy1sb25nISE=", "bmV3LXdlYmhvb2sta2V5LTMyLWJ5dGVzLWxvbmchISE="
	for list, want := range map[string]string{
		"not base64!":               "not base64",
		"c2hvcnQ=":                  "5 bytes, want 32",
		a + ",dG9vIHNob3J0IGEga2V5": "key 2: 15 bytes",
	} {
		if _, err := ParseKeys(list); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseKeys(%q) = %v, want an error with %q", list, err, want)
		}
	}
	if k, err := ParseKeys(" , "); k != nil || err != nil {
		t.Errorf("ParseKeys of no key = %v, %v; want nil, nil", k, err)
	}
	ka, _ := ParseKeys(a)
	kb, _ := ParseKeys(b)
	kba, _ := ParseKeys(b + "," + a)
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	s1, s2 := ka.seal(secret), ka.seal(secret)
	if s1 == s2 || !strings.HasPrefix(s1, sealedPrefix) || strings.Contains(s1, "MfKQ9r8G") {
		t.Errorf("seal = %q, %q: want two different sealings without the secret", s1, s2)
	}
	for name, k := range map[string]*Keys{"same key": ka, "old key second": kba} {
		if got, err := k.open(s1); got != secret || err != nil {
			t.Errorf("%s: open = %q, %v", name, got, err)
		}
	}
	if _, err := kb.open(s1); err == nil || !strings.Contains(err.Error(), "not among WEBHOOK_KEYS") {
		t.Errorf("open with another key: %v", err)
	}
	var none *Keys
	if _, err := none.open(s1); err == nil {
		t.Error("open without keys: no error")
	}
	if got, err := none.open(secret); got != secret || err != nil {
		t.Errorf("a secret in clear opens as itself: %q, %v", got, err)
	}
	tampered := s1[:len(s1)-2] + "AA"
	if tampered == s1 {
		tampered = s1[:len(s1)-2] + "BB"
	}
	if _, err := ka.open(tampered); err == nil {
		t.Error("a tampered sealing opened")
	}
	if !ka.current(s1) || kba.current(s1) || !kba.current(kba.seal(secret)) || none.current(s1) || !none.current(secret) {
		t.Error("current: wrong")
	}
}
