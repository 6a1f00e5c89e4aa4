package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// timeClaims are the registered claims that are NumericDates (RFC 7519
// §2): JSON numbers.
var timeClaims = []string{"exp", "nbf", "iat"}

// checkStrict looks at a token's header and payload as JSON before jwt
// decodes them, for what jwt's decoding lets through:
//
//   - a key twice in one object, at any depth, of the header or the
//     payload: Go keeps the last, other parsers the first, so an identity
//     provider and we could read different claims from one signed token.
//     At the top of the payload, where Go fills a claim from any case of
//     its name, names that differ only in case are the same key;
//   - a "crit" header (RFC 7515 §4.1.11): it lists extensions the
//     recipient must understand or refuse the token, and we understand
//     none, so any crit (even an empty or malformed one) refuses;
//   - a time claim (exp, nbf, iat) that is not a JSON number: jwt's
//     NumericDate also reads a string holding a number, and a null as
//     absent.
//
// It does not verify anything: jwt does that after.
func checkStrict(token string) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return unauthenticated("auth: malformed token", nil)
	}
	header, err := decodeObject(parts[0], "header", false)
	if err != nil {
		return err
	}
	if _, ok := header["crit"]; ok {
		return unauthenticated(`auth: token header has "crit": extensions we do not understand`, nil)
	}
	payload, err := decodeObject(parts[1], "payload", true)
	if err != nil {
		return err
	}
	for name, raw := range payload {
		// Go's decoder matches claim names case-insensitively: "Exp" is
		// exp too.
		folded := foldKey(name)
		for _, c := range timeClaims {
			if folded == c && !isJSONNumber(raw) {
				return unauthenticated(fmt.Sprintf("auth: time claim %q is not a number", c), nil)
			}
		}
	}
	return nil
}

// decodeObject decodes a base64url segment holding one JSON object, with
// no key twice in any of its objects, into its members. where names the
// segment in the error; foldTop compares its top-level names as Go's
// decoder matches them to struct fields.
func decodeObject(seg, where string, foldTop bool) (map[string]json.RawMessage, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		return nil, unauthenticated("auth: malformed token", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := checkKeys(dec, foldTop); err != nil {
		var dup duplicateKey
		if errors.As(err, &dup) {
			return nil, unauthenticated(fmt.Sprintf("auth: duplicate key %s in the token %s", quoteKey(string(dup)), where), nil)
		}
		return nil, unauthenticated("auth: malformed token", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, unauthenticated("auth: malformed token", err)
	}
	if m == nil { // the segment was "null"
		return nil, unauthenticated("auth: malformed token", nil)
	}
	return m, nil
}

// duplicateKey is the name of a key met twice in one object.
type duplicateKey string

func (d duplicateKey) Error() string { return "duplicate key " + string(d) }

// checkKeys reads one JSON value from dec and fails on an object holding a
// key twice, at any depth; fold compares the names of the value's own
// members (not deeper ones) folded (see foldKey). A token is at most
// maxTokenLen, and encoding/json bounds the nesting, so the walk is small.
func checkKeys(dec *json.Decoder, fold bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := make(map[string]bool)
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := tok.(string) // a key is always a string
			key := name
			if fold {
				key = foldKey(name)
			}
			if seen[key] {
				return duplicateKey(name)
			}
			seen[key] = true
			if err := checkKeys(dec, false); err != nil {
				return err
			}
		}
	case json.Delim('['):
		for dec.More() {
			if err := checkKeys(dec, false); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// quoteKey quotes a key (from the token: anything) for an error message,
// cut to 64 bytes.
func quoteKey(k string) string {
	const maxShown = 64
	if len(k) > maxShown {
		return fmt.Sprintf("%q", k[:maxShown]+"…")
	}
	return fmt.Sprintf("%q", k)
}

// isJSONNumber reports whether raw, a valid JSON value, is a number.
func isJSONNumber(raw json.RawMessage) bool {
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// foldKey folds a member name as encoding/json does when it matches a
// name to a struct field: two names with the same fold fill the same
// field.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }, s)
}
