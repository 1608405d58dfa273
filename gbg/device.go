package gbg

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/gbggen/gbggen/generated"
)

// DeviceScope is a kind of device a connect token admits.
type DeviceScope string

// The device scopes.
const (
	ScopeMobile  DeviceScope = "mobile"
	ScopeDesktop DeviceScope = "desktop"
	ScopeAny     DeviceScope = "any"
	ScopeAll     DeviceScope = "*"
)

// ConnectToken is a single-use token that lets one device join a journey
// instance. It expires after ExpiresIn (typically two minutes). Printing a
// ConnectToken with fmt or log/slog redacts Token.
type ConnectToken struct {
	Token     string
	TokenType string // "connect"
	ExpiresIn time.Duration
	Scope     []DeviceScope
}

type connectTokenView struct {
	Token     string
	TokenType string
	ExpiresIn time.Duration
	Scope     []DeviceScope
}

// Format implements fmt.Formatter with Token redacted.
func (t ConnectToken) Format(f fmt.State, verb rune) {
	v := connectTokenView{redact(t.Token), t.TokenType, t.ExpiresIn, t.Scope}
	fmt.Fprint(f, replaceTypeName(fmt.Sprintf(fmt.FormatString(f, verb), v), "gbg.connectTokenView", "gbg.ConnectToken"))
}

// LogValue implements slog.LogValuer with Token redacted.
func (t ConnectToken) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token", redact(t.Token)), slog.String("token_type", t.TokenType),
		slog.Duration("expires_in", t.ExpiresIn), slog.Any("scope", t.Scope))
}

// StartDevice creates a connect token for the instance, admitting devices of
// the given scopes (at least one). Hand the token to the device, which calls
// ConnectDevice with it. StartDevice is never sent twice when the first
// attempt may have reached the server.
func (c *Client) StartDevice(ctx context.Context, instanceID string, scopes ...DeviceScope) (*ConnectToken, error) {
	const op = "StartDevice"
	if err := required(op, "instance ID", instanceID); err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("gbg: %s: no device scope", op)
	}
	s := make([]generated.DeviceScope, len(scopes))
	for i, v := range scopes {
		s[i] = generated.DeviceScope(v)
	}
	resp, err := c.raw.StartDevice(ctx, generated.DeviceStartRequest{InstanceID: instanceID, Scope: s})
	var out struct {
		ConnectToken string        `json:"connectToken"`
		TokenType    string        `json:"tokenType"`
		ExpiresIn    float64       `json:"expiresIn"`
		Scope        []DeviceScope `json:"scope"`
	}
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	if out.ConnectToken == "" {
		return nil, fmt.Errorf("gbg: %s: response has no connectToken", op)
	}
	c.st.scrub.Learn(out.ConnectToken)
	return &ConnectToken{
		Token: out.ConnectToken, TokenType: out.TokenType, Scope: out.Scope,
		ExpiresIn: time.Duration(out.ExpiresIn * float64(time.Second)),
	}, nil
}

// DeviceInfo describes the device that connects.
type DeviceInfo struct {
	ID   string `json:"deviceId"`
	Name string `json:"deviceName,omitempty"`
	// Type is mobile or desktop; it must be within the connect token's scope.
	Type string `json:"deviceType,omitempty"`
}

// DeviceClient acts for one connected device with its end-user token: it can
// update the tasks of the instance the device joined. It is safe for
// concurrent use. Printing it never shows the token.
type DeviceClient struct {
	conn
	token     string
	expiresAt time.Time
}

// ConnectDevice exchanges a connect token for an end-user token and returns a
// client bound to it. The connect token is the Bearer of this call and is
// single use: a second use is refused (400), an expired one too (401), a
// device type outside the token's scope is 403. ConnectDevice is never sent
// twice when the first attempt may have reached the server.
func (c *Client) ConnectDevice(ctx context.Context, connectToken string, info DeviceInfo) (*DeviceClient, error) {
	const op = "ConnectDevice"
	if err := required(op, "connect token", connectToken, "device ID", info.ID); err != nil {
		return nil, err
	}
	c.st.scrub.Learn(connectToken)
	body, err := json.Marshal(struct {
		ConnectToken string     `json:"connectToken"`
		DeviceInfo   DeviceInfo `json:"deviceInfo"`
	}{connectToken, info})
	if err != nil {
		return nil, fmt.Errorf("gbg: %s: %w", op, err)
	}
	resp, err := c.raw.ConnectDeviceWithBody(ctx, jsonType, bytes.NewReader(body), bearer(connectToken))
	var out struct {
		EndUserToken string  `json:"endUserToken"`
		ExpiresIn    float64 `json:"expiresIn"`
	}
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	if out.EndUserToken == "" {
		return nil, fmt.Errorf("gbg: %s: response has no endUserToken", op)
	}
	c.st.scrub.Learn(out.EndUserToken)
	raw, err := c.newRaw(staticToken(out.EndUserToken))
	if err != nil {
		return nil, err
	}
	d := &DeviceClient{conn: conn{raw: raw, st: c.st}, token: out.EndUserToken}
	if out.ExpiresIn > 0 {
		d.expiresAt = c.st.now().Add(time.Duration(out.ExpiresIn * float64(time.Second)))
	}
	return d, nil
}

// UpdateTask is Client.UpdateTask with the device's end-user token. A 401 is
// not retried: the token cannot be renewed; connect again with a new connect
// token.
func (d *DeviceClient) UpdateTask(ctx context.Context, instanceID, taskID string, intent Intent, payload any) error {
	return d.conn.updateTask(ctx, instanceID, taskID, intent, payload)
}

// ExpiresAt returns when the end-user token expires, or the zero time if the
// server did not say.
func (d *DeviceClient) ExpiresAt() time.Time { return d.expiresAt }

// Format implements fmt.Formatter without the token.
func (d DeviceClient) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "gbg.DeviceClient{Token:%s ExpiresAt:%s}", redacted, d.expiresAt.Format(time.RFC3339))
}

// LogValue implements slog.LogValuer without the token.
func (d DeviceClient) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token", redacted), slog.Time("expires_at", d.expiresAt))
}
