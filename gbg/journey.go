package gbg

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/gbggen/gbggen/generated"
)

// Intent says what a task update does with the data.
type Intent string

// The task update intents.
const (
	IntentSave     Intent = "Save"     // store the data without completing the task
	IntentComplete Intent = "Complete" // check and store the data, and complete the task
	IntentValidate Intent = "Validate" // check the data and store nothing
)

// StartResult is the outcome of StartJourney.
type StartResult struct {
	InstanceID string `json:"instanceId"`
}

// StartJourney starts an instance of the journey resourceID ("<id>@<version>"
// or "<id>@latest") with the v1 API.
//
// journeyContext is the prefill: it is marshalled with encoding/json and sent
// as the request's context member, so it must marshal to a JSON object such
// as {"subject":{…},"config":{"async":true}}. Nil sends no context.
//
// GBG does not reject a prefill that is incomplete or wrong: each missing or
// invalid required field becomes a pending task. Check the prefill before
// sending it (the types gbggen generates have a Validate method).
//
// StartJourney is never sent twice when the first attempt may have reached
// the server; see the package documentation.
func (c *Client) StartJourney(ctx context.Context, resourceID string, journeyContext any) (*StartResult, error) {
	const op = "StartJourney"
	if err := required(op, "resource ID", resourceID); err != nil {
		return nil, err
	}
	jc, err := jsonObject("journey context", journeyContext)
	if err != nil {
		return nil, fmt.Errorf("gbg: %s: %w", op, err)
	}
	body, err := json.Marshal(struct {
		ResourceID string          `json:"resourceId"`
		Context    json.RawMessage `json:"context,omitempty"`
	}{resourceID, jc})
	if err != nil {
		return nil, fmt.Errorf("gbg: %s: %w", op, err)
	}
	resp, err := c.raw.StartJourneyWithBody(ctx, jsonType, bytes.NewReader(body))
	var out StartResult
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	if out.InstanceID == "" {
		return nil, fmt.Errorf("gbg: %s: response has no instanceId", op)
	}
	return &out, nil
}

// TaskUpdater sends task/update: *Client does it with the back end's token, *DeviceClient
// with a connected device's end-user token. Generated Submit<Task> helpers take either.
type TaskUpdater interface {
	UpdateTask(ctx context.Context, instanceID, taskID string, intent Intent, payload any) error
}

var (
	_ TaskUpdater = (*Client)(nil)
	_ TaskUpdater = (*DeviceClient)(nil)
)

// UpdateTask saves, validates or completes the data of a task.
//
// payload must marshal to a JSON object; its members (normally "context",
// holding {"subject":…}, and maybe "data") become members of the request body
// next to instanceId, taskId and intent. Nil sends none. A payload that sets
// instanceId, taskId or intent itself is an error.
//
// UpdateTask is never sent twice when the first attempt may have reached the
// server.
func (c *Client) UpdateTask(ctx context.Context, instanceID, taskID string, intent Intent, payload any) error {
	return c.conn.updateTask(ctx, instanceID, taskID, intent, payload)
}

func (cn *conn) updateTask(ctx context.Context, instanceID, taskID string, intent Intent, payload any) error {
	const op = "UpdateTask"
	if err := required(op, "instance ID", instanceID, "task ID", taskID, "intent", string(intent)); err != nil {
		return err
	}
	body, err := taskUpdateBody(instanceID, taskID, intent, payload)
	if err != nil {
		return fmt.Errorf("gbg: %s: %w", op, err)
	}
	resp, err := cn.raw.UpdateTaskWithBody(ctx, jsonType, bytes.NewReader(body))
	return cn.call(op, resp, err, nil)
}

func taskUpdateBody(instanceID, taskID string, intent Intent, payload any) ([]byte, error) {
	head, err := json.Marshal(struct {
		InstanceID string `json:"instanceId"`
		TaskID     string `json:"taskId"`
		Intent     Intent `json:"intent"`
	}{instanceID, taskID, intent})
	if err != nil {
		return nil, err
	}
	p, err := jsonObject("payload", payload)
	if err != nil || p == nil {
		return head, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(p, &members); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	for _, k := range []string{"instanceId", "taskId", "intent"} {
		if _, ok := members[k]; ok {
			return nil, fmt.Errorf("payload must not set %q", k)
		}
	}
	if len(members) == 0 {
		return head, nil
	}
	// Splice the payload's members in after intent, in their own order.
	out := append(head[:len(head)-1:len(head)-1], ',')
	return append(out, p[1:]...), nil
}

// Task is one entry of a task list.
type Task struct {
	ID string `json:"taskId"`
}

// TaskList is the outcome of ListTasks.
type TaskList struct {
	InstanceID string `json:"instanceId"`
	Status     Status `json:"status"`
	Tasks      []Task `json:"tasks"`
}

// ListTasks lists the pending tasks of a journey instance.
func (c *Client) ListTasks(ctx context.Context, instanceID string) (*TaskList, error) {
	const op = "ListTasks"
	if err := required(op, "instance ID", instanceID); err != nil {
		return nil, err
	}
	resp, err := c.raw.ListTasks(ctx, generated.InstanceRequest{InstanceID: instanceID})
	var out TaskList
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// TaskSchema returns the JSON Schema (draft-07, rooted at context) of a task,
// as the server sent it.
func (c *Client) TaskSchema(ctx context.Context, taskID string) (json.RawMessage, error) {
	const op = "TaskSchema"
	if err := required(op, "task ID", taskID); err != nil {
		return nil, err
	}
	resp, err := c.raw.GetTaskSchema(ctx, generated.TaskRequest{TaskID: taskID})
	var out json.RawMessage
	if err := c.call(op, resp, err, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// TaskSchemaList is the outcome of TaskSchemas.
type TaskSchemaList struct {
	InstanceID string
	Status     Status
	// TaskIDs lists the tasks in the order of the response.
	TaskIDs []string
	// Schemas maps each task ID to its JSON Schema, with the response's
	// {"$ref":"#/schemas/<key>"} resolved.
	Schemas map[string]json.RawMessage
	// Keys maps each task ID to the key of its schema in the response's schemas member
	// (the <key> of its reference), or "" when the schema was given inline. Keys are stable
	// across instances of a journey version; task IDs are not.
	Keys map[string]string
	// Raw is the whole response body.
	Raw json.RawMessage
}

// Key returns the name of the i-th task's schema (TaskIDs[i]): its key, or task-<i+1>
// when the schema was given inline. gbggen fetch names the schema files by it, and
// CheckTaskSchemas compares by it.
func (l *TaskSchemaList) Key(i int) string {
	if key := l.Keys[l.TaskIDs[i]]; key != "" {
		return key
	}
	return fmt.Sprintf("task-%d", i+1)
}

// TaskSchemas lists the tasks of an instance with the schema of each
// (task/list/schema), resolving each task's reference into the response's
// schemas member.
func (c *Client) TaskSchemas(ctx context.Context, instanceID string) (*TaskSchemaList, error) {
	const op = "TaskSchemas"
	if err := required(op, "instance ID", instanceID); err != nil {
		return nil, err
	}
	resp, err := c.raw.ListTaskSchemas(ctx, generated.InstanceRequest{InstanceID: instanceID})
	var raw json.RawMessage
	if err := c.call(op, resp, err, &raw); err != nil {
		return nil, err
	}
	out, err := parseTaskSchemas(raw)
	if err != nil {
		return nil, fmt.Errorf("gbg: %s: %w", op, err)
	}
	return out, nil
}

func parseTaskSchemas(raw json.RawMessage) (*TaskSchemaList, error) {
	var doc struct {
		InstanceID string `json:"instanceId"`
		Status     Status `json:"status"`
		Tasks      []struct {
			TaskID string          `json:"taskId"`
			Schema json.RawMessage `json:"schema"`
		} `json:"tasks"`
		Schemas map[string]json.RawMessage `json:"schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decoding response: %w", err)
	}
	out := &TaskSchemaList{
		InstanceID: doc.InstanceID, Status: doc.Status, Raw: raw,
		Schemas: make(map[string]json.RawMessage, len(doc.Tasks)),
		Keys:    make(map[string]string, len(doc.Tasks)),
	}
	for _, t := range doc.Tasks {
		out.TaskIDs = append(out.TaskIDs, t.TaskID)
		var ref struct {
			Ref *string `json:"$ref"`
		}
		if len(t.Schema) == 0 || string(t.Schema) == "null" {
			return nil, fmt.Errorf("task %s has no schema", t.TaskID)
		}
		if err := json.Unmarshal(t.Schema, &ref); err != nil || ref.Ref == nil {
			out.Schemas[t.TaskID] = t.Schema // given inline
			out.Keys[t.TaskID] = ""
			continue
		}
		key, err := schemaKey(*ref.Ref)
		if err != nil {
			return nil, fmt.Errorf("task %s: %w", t.TaskID, err)
		}
		s, ok := doc.Schemas[key]
		if !ok {
			return nil, fmt.Errorf("task %s: schema %q is not in the response", t.TaskID, *ref.Ref)
		}
		out.Schemas[t.TaskID] = s
		out.Keys[t.TaskID] = key
	}
	return out, nil
}

// schemaKey extracts <key> from "#/schemas/<key>", undoing URI and JSON
// Pointer escaping.
func schemaKey(ref string) (string, error) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return "", fmt.Errorf("schema reference %q is not local", ref)
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	key, ok := strings.CutPrefix(frag, "/schemas/")
	if !ok || key == "" || strings.Contains(key, "/") {
		return "", fmt.Errorf("schema reference %q does not name an entry of schemas", ref)
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(key), nil
}

// State is the state of a v1 journey instance.
type State struct {
	InstanceID string        `json:"instanceId"`
	Status     Status        `json:"status"`
	MetaData   StateMetaData `json:"metaData"`
	// Context is the collected context (subject and journey-specific
	// members); decode it with encoding/json into the journey's types.
	Context json.RawMessage `json:"context,omitempty"`
	// Data holds module results; v1 puts them under
	// data.process.flow.<variantId>.
	Data json.RawMessage `json:"data,omitempty"`
	// Raw is the whole response body.
	Raw json.RawMessage `json:"-"`
}

// StateMetaData holds the timestamps of an instance, as the server wrote them.
type StateMetaData struct {
	CreatedTime   string `json:"createdTime,omitempty"`
	CompletedTime string `json:"completedTime,omitempty"`
}

// FetchState fetches the state of a v1 journey instance. filterKeys, if any,
// are regular expressions selecting the keys of context and data to return.
func (c *Client) FetchState(ctx context.Context, instanceID string, filterKeys ...string) (*State, error) {
	const op = "FetchState"
	if err := required(op, "instance ID", instanceID); err != nil {
		return nil, err
	}
	req := generated.StateFetchRequest{InstanceID: instanceID}
	if len(filterKeys) > 0 {
		req.FilterKeys = &filterKeys
	}
	resp, err := c.raw.FetchState(ctx, req)
	var raw json.RawMessage
	if err := c.call(op, resp, err, &raw); err != nil {
		return nil, err
	}
	var out State
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("gbg: %s: decoding response: %w", op, err)
	}
	out.Raw = raw
	return &out, nil
}

// DeleteInstance deletes a journey instance (state/delete). It is never sent
// twice when the first attempt may have reached the server.
func (c *Client) DeleteInstance(ctx context.Context, instanceID string) error {
	const op = "DeleteInstance"
	if err := required(op, "instance ID", instanceID); err != nil {
		return err
	}
	resp, err := c.raw.DeleteState(ctx, generated.InstanceRequest{InstanceID: instanceID})
	return c.call(op, resp, err, nil)
}

// Health checks the journey service. It returns the server's message ("OK")
// or an error.
func (c *Client) Health(ctx context.Context) (string, error) {
	const op = "Health"
	resp, err := c.raw.Health(ctx)
	var out struct {
		Message string `json:"message"`
	}
	if err := c.call(op, resp, err, &out); err != nil {
		return "", err
	}
	return out.Message, nil
}
