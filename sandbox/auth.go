package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Credentials are what the token endpoint accepts. The password grant needs all four; the
// client-credentials grant needs the client pair only (and scope gbg.token).
type Credentials struct {
	ClientID     string
	ClientSecret string
	Username     string
	Password     string
}

// DefaultCredentials is the documented default pair the emulator accepts.
var DefaultCredentials = Credentials{
	ClientID:     "gbggen-demo",
	ClientSecret: "gbggen-demo-secret",
	Username:     "demo",
	Password:     "demo",
}

// ClientCredentialsScope is the scope the client-credentials grant must ask for.
const ClientCredentialsScope = "gbg.token"

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type connectGrant struct {
	instanceID string
	scope      []string
	expires    time.Time
	used       bool
}

// tokens holds issued access tokens and connect tokens and signs end-user tokens.
type tokens struct {
	mu      sync.Mutex
	access  map[string]time.Time // token → expiry
	connect map[string]*connectGrant
	key     []byte // HMAC key of end-user JWTs
	issued  int
}

func newTokens() *tokens {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &tokens{access: map[string]time.Time{}, connect: map[string]*connectGrant{}, key: key}
}

func (t *tokens) issueAccess(now time.Time, ttl time.Duration) string {
	tok := randomToken(32)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.access[tok] = now.Add(ttl)
	t.issued++
	if t.issued%256 == 0 { // forget expired tokens now and then
		for k, exp := range t.access {
			if !now.Before(exp) {
				delete(t.access, k)
			}
		}
		for k, g := range t.connect {
			if !now.Before(g.expires) {
				delete(t.connect, k)
			}
		}
	}
	return tok
}

func (t *tokens) validAccess(tok string, now time.Time) (known, valid bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, ok := t.access[tok]
	return ok, ok && now.Before(exp)
}

func (t *tokens) issueConnect(instanceID string, scope []string, now time.Time, ttl time.Duration) string {
	tok := randomToken(32)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.connect[tok] = &connectGrant{instanceID: instanceID, scope: scope, expires: now.Add(ttl)}
	return tok
}

func (t *tokens) isConnect(tok string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.connect[tok]
	return ok
}

// redeemConnect checks a connect token and marks it used. alive reports whether the
// instance it names can still take a device. The checks follow the documented order of
// the device-connection errors.
func (t *tokens) redeemConnect(tok, deviceType string, now time.Time, alive func(instanceID string) bool) (string, *apiError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.connect[tok]
	switch {
	case !ok:
		return "", errorf(http.StatusUnauthorized, "unknown connect token")
	case g.used:
		return "", errorf(http.StatusBadRequest, "connect token already used: a new device needs a new connect token")
	case !now.Before(g.expires):
		return "", errorf(http.StatusUnauthorized, "connect token expired")
	case !alive(g.instanceID):
		return "", errorf(http.StatusNotFound, "journey instance %s does not exist or has finished", g.instanceID)
	case !scopeAllows(g.scope, deviceType):
		return "", errorf(http.StatusForbidden, "device type %q is outside the connect token's scope %v", deviceType, g.scope)
	}
	g.used = true
	return g.instanceID, nil
}

func scopeAllows(scope []string, deviceType string) bool {
	if deviceType == "" {
		return true
	}
	for _, s := range scope {
		if s == "*" || s == "any" || strings.EqualFold(s, deviceType) {
			return true
		}
	}
	return false
}

// endUserClaims are the claims of an end-user token (an HS256 JWT).
type endUserClaims struct {
	Issuer     string `json:"iss"`
	Subject    string `json:"sub"` // device ID
	InstanceID string `json:"instanceId"`
	Type       string `json:"typ"`
	IssuedAt   int64  `json:"iat"`
	Expires    int64  `json:"exp"`
}

var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

func (t *tokens) signEndUser(c endUserClaims) string {
	payload, _ := json.Marshal(c)
	signing := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

var errNotEndUser = errors.New("not an end-user token")

// parseEndUser verifies an end-user token. It returns errNotEndUser when tok is not a JWT this
// server signed, and another error when it is one but has expired.
func (t *tokens) parseEndUser(tok string, now time.Time) (*endUserClaims, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || parts[0] != jwtHeader {
		return nil, errNotEndUser
	}
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, errNotEndUser
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, errNotEndUser
	}
	var c endUserClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.Type != "end-user" {
		return nil, errNotEndUser
	}
	if now.Unix() >= c.Expires {
		return nil, errors.New("end-user token expired")
	}
	return &c, nil
}

// principal is who made a request.
type principal struct {
	backend    bool   // an access token from the token endpoint
	endUser    string // instance ID an end-user token is bound to
	connectTok string // the bearer token of device/connect
}

type ctxKey int

const (
	keyPrincipal ctxKey = iota
	keyRequestID
	keyScenario
)

func principalFrom(ctx context.Context) principal {
	p, _ := ctx.Value(keyPrincipal).(principal)
	return p
}

func requestIDFrom(ctx context.Context) *string {
	id, _ := ctx.Value(keyRequestID).(string)
	return &id
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
