package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix starts a secret stored encrypted: sealedPrefix, the key's
// id, a dot, then base64 of the nonce and the AES-256-GCM ciphertext.
// Secrets stored before a key was configured start with whsec_ instead.
const sealedPrefix = "sealed1."

// sealContext binds ciphertexts to their use, as GCM's additional data.
var sealContext = []byte("lienthong webhook signing secret")

// Keys encrypt webhook secrets at rest. The first key seals; every key
// opens what it sealed, so a new key can be put first while the old one
// still opens the stored secrets, until Reseal has rewritten them.
type Keys struct {
	keys []sealKey
}

type sealKey struct {
	id   string // first 4 bytes of SHA-256 of the key, in hex
	aead cipher.AEAD
}

// ParseKeys reads a comma-separated list of base64 keys of 32 bytes each
// (WEBHOOK_KEYS; make one with `openssl rand -base64 32`). An empty list
// gives nil: secrets are stored in clear.
func ParseKeys(list string) (*Keys, error) {
	var k Keys
	for i, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("webhook key %d: not base64: %w", i+1, err)
		}
		if len(raw) != 32 {
			return nil, fmt.Errorf("webhook key %d: %d bytes, want 32", i+1, len(raw))
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(raw)
		k.keys = append(k.keys, sealKey{id: hex.EncodeToString(sum[:4]), aead: aead})
	}
	if len(k.keys) == 0 {
		return nil, nil
	}
	return &k, nil
}

// seal returns secret as it is stored: encrypted with the first key, or
// unchanged when no key is configured.
func (k *Keys) seal(secret string) string {
	if k == nil || secret == "" {
		return secret
	}
	key := k.keys[0]
	nonce := make([]byte, key.aead.NonceSize())
	_, _ = rand.Read(nonce) // never fails (crypto/rand)
	out := key.aead.Seal(nonce, nonce, []byte(secret), sealContext)
	return sealedPrefix + key.id + "." + base64.RawStdEncoding.EncodeToString(out)
}

// open returns the secret stored as stored.
func (k *Keys) open(stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil // in clear
	}
	id, data, _ := strings.Cut(rest, ".")
	if k == nil {
		return "", errors.New("the secret is encrypted and no WEBHOOK_KEYS are configured")
	}
	for _, key := range k.keys {
		if key.id != id {
			continue
		}
		raw, err := base64.RawStdEncoding.DecodeString(data)
		if err != nil || len(raw) < key.aead.NonceSize() {
			return "", errors.New("the encrypted secret is malformed")
		}
		n := key.aead.NonceSize()
		plain, err := key.aead.Open(nil, raw[:n], raw[n:], sealContext)
		if err != nil {
			return "", errors.New("the encrypted secret does not open with its key")
		}
		return string(plain), nil
	}
	return "", fmt.Errorf("the secret is encrypted with key %s, which is not among WEBHOOK_KEYS", id)
}

// current reports whether stored is as the first key would store it.
func (k *Keys) current(stored string) bool {
	if k == nil {
		return !strings.HasPrefix(stored, sealedPrefix)
	}
	return strings.HasPrefix(stored, sealedPrefix+k.keys[0].id+".")
}
