package auth

import (
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

// checkStrict looks at a token's payload as JSON before jwt decodes it,
// for what jwt's decoding lets through:
//
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
	header, err := decodeObject(parts[0])
	if err != nil {
		return unauthenticated("auth: malformed token", err)
	}
	if _, ok := header["crit"]; ok {
		return unauthenticated(`auth: token header has "crit": extensions we do not understand`, nil)
	}
	payload, err := decodeObject(parts[1])
	if err != nil {
		return unauthenticated("auth: malformed token", err)
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

// decodeObject decodes a base64url segment holding one JSON object into
// its members.
func decodeObject(seg string) (map[string]json.RawMessage, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if m == nil { // the segment was "null"
		return nil, errors.New("auth: not a JSON object")
	}
	return m, nil
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
