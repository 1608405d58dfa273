package gbg

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gbggen/gbggen/generated"
	"github.com/gbggen/gbggen/internal/transport"
)

// Delivery says how a v2 journey reaches the end user.
type Delivery string

// The v2 delivery modes.
const (
	DeliveryPage Delivery = "page" // hosted: send the user to StartV2Result.InstanceURL
	DeliveryAPI  Delivery = "api"  // API-first: drive it with FetchInteraction and SubmitInteraction
)

// StartV2Result is the outcome of StartJourneyV2.
type StartV2Result struct {
	InstanceID string `json:"instanceId"`
	// InstanceURL is, for DeliveryPage, the path on the platform host to send
	// the end user to.
	InstanceURL string `json:"instanceUrl,omitempty"`
	Status      string `json:"status,omitempty"` // "started"
	Message     string `json:"message,omitempty"`
}

// StartJourneyV2 starts a hosted (DeliveryPage) or API-first (DeliveryAPI)
// journey. subject, if not nil, is the partial prefill sent as
// context.subject; it must marshal to a JSON object.
//
// The call returns at once; poll with FetchStateV2 or WaitForCompletionV2.
// It is never sent twice when the first attempt may have reached the server.
func (c *Client) StartJourneyV2(ctx context.Context, resourceID string, delivery Delivery, subject any) (*StartV2Result, error) {
	const op = "StartJourneyV2"
	if err := required(op, "resource ID", resourceID, "delivery", string(delivery)); err != nil {
		return nil, err
	}
	subj, err := jsonObject("subject", subject)
	if err != nil {
		return nil, fmt.Errorf("gbg: %s: %w", op, err)
	}
	type config struct {
		Delivery Delivery `json:"delivery"`
	}
	type journeyContext struct {
		Subject json.RawMessage `json:"subject,omitempty"`
		Config  config          `json:"config"`
	}
	body, err := json.Marshal(struct {
		ResourceID string         `json:"resourceId"`
		Context    journeyContext `json:"context"`
	}{resourceID, journeyContext{subj, config{delivery}}})
	if err != nil {
		return nil, fmt.Errorf("gbg: %s: %w", op, err)
	}
	resp, err := c.raw.StartJourneyV2WithBody(ctx, jsonType, bytes.NewReader(body))
	var out StartV2Result
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	if out.InstanceID == "" {
		return nil, fmt.Errorf("gbg: %s: response has no instanceId", op)
	}
	return &out, nil
}

// StateV2 is the state of a v2 journey instance.
type StateV2 struct {
	InstanceID string `json:"instanceId"`
	Status     Status `json:"status"`
	// Result is context.result: status (pending, completed, failed),
	// outcome and advice.
	Result generated.JourneyResult `json:"-"`
	// Context is the whole context member (process, subject, result).
	Context json.RawMessage `json:"context,omitempty"`
	// Raw is the whole response body.
	Raw json.RawMessage `json:"-"`
}

// FetchStateV2 fetches the state of a v2 journey instance.
func (c *Client) FetchStateV2(ctx context.Context, instanceID string) (*StateV2, error) {
	const op = "FetchStateV2"
	if err := required(op, "instance ID", instanceID); err != nil {
		return nil, err
	}
	resp, err := c.raw.FetchStateV2(ctx, generated.InstanceRequest{InstanceID: instanceID})
	var raw json.RawMessage
	if err := c.call(op, resp, err, &raw); err != nil {
		return nil, err
	}
	var out StateV2
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("gbg: %s: decoding response: %w", op, err)
	}
	var result struct {
		Result generated.JourneyResult `json:"result"`
	}
	if len(out.Context) > 0 {
		if err := json.Unmarshal(out.Context, &result); err != nil {
			return nil, fmt.Errorf("gbg: %s: decoding context.result: %w", op, err)
		}
	}
	out.Result, out.Raw = result.Result, raw
	return &out, nil
}

// Interaction is the current interaction of an API-first (v2) journey.
type Interaction struct {
	InstanceID    string `json:"instanceId"`
	InteractionID string `json:"interactionId"`
	// Spec says what the interaction collects and consumes.
	Spec generated.InteractionSpec `json:"interaction"`
	// Instructions are the server's instructions, as sent.
	Instructions []json.RawMessage `json:"instructions,omitempty"`
	// Outstanding lists the refs still missing, such as
	// "PrimaryDocument/side1Image".
	Outstanding []string `json:"outstanding,omitempty"`
	// Context is the context member ({"subject":…}).
	Context json.RawMessage `json:"context,omitempty"`
	// Raw is the whole response body.
	Raw json.RawMessage `json:"-"`
}

// FetchInteraction fetches the current interaction of an API-first journey.
func (c *Client) FetchInteraction(ctx context.Context, instanceID string) (*Interaction, error) {
	const op = "FetchInteraction"
	if err := required(op, "instance ID", instanceID); err != nil {
		return nil, err
	}
	resp, err := c.raw.FetchInteraction(ctx, generated.InstanceRequest{InstanceID: instanceID})
	var raw json.RawMessage
	if err := c.call(op, resp, err, &raw); err != nil {
		return nil, err
	}
	var out Interaction
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("gbg: %s: decoding response: %w", op, err)
	}
	out.Raw = raw
	return &out, nil
}

// Participant is one participant of an interaction submission.
type Participant struct {
	DomainElementID string `json:"domainElementId,omitempty"`
	Instruction     string `json:"instruction,omitempty"`
}

// SubmitInteraction submits data for the current interaction: subject is
// sent as context.subject and must marshal to a JSON object (nil sends {}).
//
// The server may refuse a submission with HTTP 200 and
// {"status":"error","code":…,"message":…}; SubmitInteraction returns that as
// an *APIError with StatusCode 200, the code and message in Details[0] and
// Message. It is never sent twice when the first attempt may have reached
// the server.
func (c *Client) SubmitInteraction(ctx context.Context, instanceID, interactionID string, subject any, participants ...Participant) error {
	const op = "SubmitInteraction"
	if err := required(op, "instance ID", instanceID, "interaction ID", interactionID); err != nil {
		return err
	}
	subj, err := jsonObject("subject", subject)
	if err != nil {
		return fmt.Errorf("gbg: %s: %w", op, err)
	}
	if subj == nil {
		subj = json.RawMessage(`{}`)
	}
	type submitContext struct {
		Subject json.RawMessage `json:"subject"`
	}
	body, err := json.Marshal(struct {
		InstanceID    string        `json:"instanceId"`
		InteractionID string        `json:"interactionId"`
		Participants  []Participant `json:"participants,omitempty"`
		Context       submitContext `json:"context"`
	}{instanceID, interactionID, participants, submitContext{subj}})
	if err != nil {
		return fmt.Errorf("gbg: %s: %w", op, err)
	}
	resp, err := c.raw.SubmitInteractionWithBody(ctx, jsonType, bytes.NewReader(body))
	var raw json.RawMessage
	if err := c.call(op, resp, err, &raw); err != nil {
		return err
	}
	var out struct {
		Status  string          `json:"status"`
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return fmt.Errorf("gbg: %s: decoding response: %w", op, err)
	}
	if strings.EqualFold(out.Status, "error") {
		return c.st.scrubbed(&APIError{
			Op: op, StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Request-ID"),
			Details: []ErrorDetail{{Code: transport.Scalar(out.Code), Problem: out.Message}},
			Message: out.Message, Body: raw,
		}, resp)
	}
	return nil
}
