package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gbggen/gbggen/generated"
)

// handlers implements generated.StrictServerInterface. Requests reaching it have been
// validated against the spec and authenticated.
type handlers struct{ s *Server }

var _ generated.StrictServerInterface = (*handlers)(nil)

func (h *handlers) now() time.Time { return h.s.cfg.now() }

func stamp(t time.Time) *string {
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

func ptr[T any](v T) *T { return &v }

// --- token ---------------------------------------------------------------------------------

func (h *handlers) GetToken(ctx context.Context, req generated.GetTokenRequestObject) (generated.GetTokenResponseObject, error) {
	b := req.Body
	cr := h.s.cfg.creds
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	if !equal(b.ClientID, cr.ClientID) || !equal(b.ClientSecret, cr.ClientSecret) {
		return nil, &apiError{status: http.StatusUnauthorized, oauth: "invalid_client", message: "unknown client or wrong client secret"}
	}
	switch b.GrantType {
	case generated.Password:
		if deref(b.Username) == "" || deref(b.Password) == "" {
			return nil, &apiError{status: http.StatusBadRequest, oauth: "invalid_request", message: "the password grant needs username and password"}
		}
		if !equal(deref(b.Username), cr.Username) || !equal(deref(b.Password), cr.Password) {
			return nil, &apiError{status: http.StatusUnauthorized, oauth: "invalid_grant", message: "wrong username or password"}
		}
	case generated.ClientCredentials:
		if !slices.Contains(strings.Fields(deref(b.Scope)), ClientCredentialsScope) {
			return nil, &apiError{status: http.StatusBadRequest, oauth: "invalid_scope", message: "the client-credentials grant needs scope " + ClientCredentialsScope}
		}
	}
	ttl := h.s.cfg.tokenTTL
	tok := h.s.tok.issueAccess(h.now(), ttl)
	return generated.GetToken200JSONResponse{
		Body:    generated.Token{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int(ttl / time.Second)},
		Headers: generated.GetToken200ResponseHeaders{XRequestID: requestIDFrom(ctx)},
	}, nil
}

// --- v1 ------------------------------------------------------------------------------------

func (h *handlers) Health(ctx context.Context, _ generated.HealthRequestObject) (generated.HealthResponseObject, error) {
	return generated.Health200JSONResponse{Body: generated.Health{Message: ptr("OK")},
		Headers: generated.Health200ResponseHeaders{XRequestID: requestIDFrom(ctx)}}, nil
}

// start creates an instance from a prefill; shared by v1 and v2.
func (h *handlers) start(ctx context.Context, resourceID string, subject map[string]any, api int, lazy bool) (*instance, error) {
	v, err := h.s.cat.resolve(resourceID)
	if err != nil {
		return nil, errorf(http.StatusNotFound, "%v", err)
	}
	now := h.now()
	in := newInstance(h.s.store, v, api, now)
	kept, vs := keepValid(v.schema, subject)
	logDropped(h.s.cfg.log, in.id, vs)
	in.subject = kept
	applyToInstance(ctx, in)
	if lazy {
		// config.async: return before the journey's modules run; settle evaluates the
		// prefill on the next call that touches the instance.
		in.lazy = true
		if in.failed {
			in.ended = now
		}
	} else {
		in.completeSatisfied()
		in.settle(now)
	}
	if err := h.s.store.add(in); err != nil {
		return nil, err
	}
	return in, nil
}

func (h *handlers) StartJourney(ctx context.Context, req generated.StartJourneyRequestObject) (generated.StartJourneyResponseObject, error) {
	var subject map[string]any
	lazy := false
	if c := req.Body.Context; c != nil {
		subject = c.Subject
		lazy = c.Config != nil && c.Config.Async != nil && *c.Config.Async
	}
	in, err := h.start(ctx, req.Body.ResourceID, subject, 1, lazy)
	if err != nil {
		return nil, err
	}
	return generated.StartJourney200JSONResponse{StartedJSONResponse: generated.StartedJSONResponse{
		Body: generated.JourneyInstance{InstanceID: in.id}, Headers: generated.StartedResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

// lookup finds a live instance, checks that the caller may see it, and returns it locked and
// settled. The caller must unlock it.
func (h *handlers) lookup(ctx context.Context, id string) (*instance, error) {
	if p := principalFrom(ctx); p.endUser != "" && p.endUser != id {
		return nil, errorf(http.StatusForbidden, "this end-user token belongs to another journey instance")
	}
	in := h.s.store.get(id)
	if in == nil {
		return nil, errorf(http.StatusNotFound, "no journey instance %s", id)
	}
	in.mu.Lock()
	if in.deleted {
		in.mu.Unlock()
		return nil, errorf(http.StatusNotFound, "no journey instance %s", id)
	}
	in.settle(h.now())
	return in, nil
}

func pendingTasks(in *instance) []*taskState {
	var out []*taskState
	for _, t := range in.tasks {
		if !t.done {
			out = append(out, t)
		}
	}
	return out
}

func (h *handlers) ListTasks(ctx context.Context, req generated.ListTasksRequestObject) (generated.ListTasksResponseObject, error) {
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	tasks := []generated.Task{}
	if !in.failed {
		for _, t := range pendingTasks(in) {
			tasks = append(tasks, generated.Task{TaskID: t.id})
		}
	}
	return generated.ListTasks200JSONResponse{TaskListJSONResponse: generated.TaskListJSONResponse{
		Body:    generated.TaskList{Status: ptr(in.status()), InstanceID: &in.id, Tasks: &tasks},
		Headers: generated.TaskListResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

func (h *handlers) ListTaskSchemas(ctx context.Context, req generated.ListTaskSchemasRequestObject) (generated.ListTaskSchemasResponseObject, error) {
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	tasks := []generated.TaskWithSchema{}
	schemas := map[string]generated.JSONSchema{}
	if !in.failed {
		for _, t := range pendingTasks(in) {
			tasks = append(tasks, generated.TaskWithSchema{TaskID: t.id, Schema: &generated.SchemaRef{"$ref": "#/schemas/" + t.def.key}})
			schemas[t.def.key] = t.def.schema.doc
		}
	}
	return generated.ListTaskSchemas200JSONResponse{TaskSchemaListJSONResponse: generated.TaskSchemaListJSONResponse{
		Body:    generated.TaskSchemaList{Status: ptr(in.status()), InstanceID: &in.id, Tasks: &tasks, Schemas: &schemas},
		Headers: generated.TaskSchemaListResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

func (h *handlers) GetTaskSchema(ctx context.Context, req generated.GetTaskSchemaRequestObject) (generated.GetTaskSchemaResponseObject, error) {
	t := h.s.store.task(req.Body.TaskID)
	if t == nil {
		return nil, errorf(http.StatusNotFound, "no task %s", req.Body.TaskID)
	}
	if p := principalFrom(ctx); p.endUser != "" && p.endUser != t.inst.id {
		return nil, errorf(http.StatusForbidden, "this end-user token belongs to another journey instance")
	}
	return generated.GetTaskSchema200JSONResponse{TaskSchemaJSONResponse: generated.TaskSchemaJSONResponse{
		Body: t.def.schema.doc, Headers: generated.TaskSchemaResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

// taskPatch collects the subject data of a task update: context.subject, and data.subject or
// data.context.subject when the free-form data carries them.
func taskPatch(b *generated.TaskUpdateRequest) any {
	var patch any = map[string]any{}
	if b.Context != nil && b.Context.Subject != nil {
		patch = merge(patch, map[string]any(b.Context.Subject))
	}
	if b.Data != nil {
		d := *b.Data
		if s, ok := d["subject"].(map[string]any); ok {
			patch = merge(patch, s)
		}
		if c, ok := d["context"].(map[string]any); ok {
			if s, ok := c["subject"].(map[string]any); ok {
				patch = merge(patch, s)
			}
		}
	}
	return patch
}

func (h *handlers) UpdateTask(ctx context.Context, req generated.UpdateTaskRequestObject) (generated.UpdateTaskResponseObject, error) {
	b := req.Body
	in, err := h.lookup(ctx, b.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	var t *taskState
	for _, c := range in.tasks {
		if c.id == b.TaskID {
			t = c
		}
	}
	switch {
	case t == nil:
		return nil, errorf(http.StatusNotFound, "instance %s has no task %s", in.id, b.TaskID)
	case in.finished():
		return nil, errorf(http.StatusNotFound, "instance %s has finished (%s)", in.id, in.status())
	case t.done:
		return nil, errorf(http.StatusNotFound, "task %s is already completed", t.id)
	}
	patch := taskPatch(b)
	switch b.Intent {
	case generated.Save:
		saved, _ := merge(t.saved, patch).(map[string]any)
		t.saved = saved
	case generated.Validate, generated.Complete:
		subject := merge(merge(in.subject, t.saved), patch)
		if vs := t.def.schema.check(taskDoc(subject)); len(vs) > 0 {
			msg := make([]string, len(vs))
			for i, v := range vs {
				msg[i] = v.Pointer + ": " + v.Message
			}
			return nil, &apiError{status: http.StatusBadRequest, violations: vs,
				message: "task data does not match the task schema: " + strings.Join(msg, "; ")}
		}
		if b.Intent == generated.Complete {
			kept, _ := keepValid(in.version.schema, subject)
			in.subject = kept
			t.done, t.saved = true, nil
		}
	}
	applyToInstance(ctx, in)
	in.settle(h.now())
	return generated.UpdateTask200JSONResponse{TaskUpdatedJSONResponse: generated.TaskUpdatedJSONResponse{
		Body:    generated.TaskUpdateResponse{InstanceID: &in.id, TaskID: &t.id},
		Headers: generated.TaskUpdatedResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

// filterKeys keeps the members of m whose keys match one of res (all when res is nil).
func filterKeys(m map[string]any, res []*regexp.Regexp) map[string]any {
	if res == nil {
		return m
	}
	out := map[string]any{}
	for k, v := range m {
		for _, re := range res {
			if re.MatchString(k) {
				out[k] = v
				break
			}
		}
	}
	return out
}

func (h *handlers) FetchState(ctx context.Context, req generated.FetchStateRequestObject) (generated.FetchStateResponseObject, error) {
	var res []*regexp.Regexp
	if req.Body.FilterKeys != nil {
		res = []*regexp.Regexp{}
		for _, f := range *req.Body.FilterKeys {
			re, err := regexp.Compile(f)
			if err != nil {
				return nil, &apiError{status: http.StatusBadRequest, message: "filterKeys: " + err.Error(),
					violations: []Violation{{Pointer: "/filterKeys", Message: err.Error()}}}
			}
			res = append(res, re)
		}
	}
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	status, ended := in.fetched()
	st := generated.JourneyState{InstanceID: in.id, Status: status, MetaData: &generated.StateMetaData{CreatedTime: stamp(in.created)}}
	if ended {
		st.MetaData.CompletedTime = stamp(in.ended)
	}
	cctx := filterKeys(map[string]any{"subject": deepCopy(in.subject)}, res)
	data := map[string]any{}
	if ended {
		j := in.version.journey
		outcome := j.outcome
		if in.failed {
			outcome = "Decision: Fail"
		}
		data["process"] = map[string]any{"flow": map[string]any{j.variantID: map[string]any{
			"result": map[string]any{"outcome": outcome},
		}}}
	}
	data = filterKeys(data, res)
	st.Context, st.Data = &cctx, &data
	return generated.FetchState200JSONResponse{StateJSONResponse: generated.StateJSONResponse{
		Body: st, Headers: generated.StateResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

func (h *handlers) DeleteState(ctx context.Context, req generated.DeleteStateRequestObject) (generated.DeleteStateResponseObject, error) {
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	in.deleted = true
	in.mu.Unlock()
	h.s.store.remove(in)
	return generated.DeleteState200JSONResponse{DeletedJSONResponse: generated.DeletedJSONResponse{
		Body: generated.InstanceRequest{InstanceID: in.id}, Headers: generated.DeletedResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

// --- device --------------------------------------------------------------------------------

func (h *handlers) StartDevice(ctx context.Context, req generated.StartDeviceRequestObject) (generated.StartDeviceResponseObject, error) {
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	finished := in.finished()
	in.mu.Unlock()
	if finished {
		return nil, errorf(http.StatusNotFound, "journey instance %s has finished", in.id)
	}
	scope := make([]string, len(req.Body.Scope))
	for i, s := range req.Body.Scope {
		scope[i] = string(s)
	}
	ttl := h.s.cfg.connectTTL
	tok := h.s.tok.issueConnect(in.id, scope, h.now(), ttl)
	return generated.StartDevice200JSONResponse{ConnectTokenJSONResponse: generated.ConnectTokenJSONResponse{
		Body:    generated.ConnectToken{ConnectToken: tok, TokenType: ptr("connect"), ExpiresIn: float32(ttl.Seconds()), Scope: ptr(req.Body.Scope)},
		Headers: generated.ConnectTokenResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

func (h *handlers) ConnectDevice(ctx context.Context, req generated.ConnectDeviceRequestObject) (generated.ConnectDeviceResponseObject, error) {
	b := req.Body
	if p := principalFrom(ctx); !equal(p.connectTok, b.ConnectToken) {
		return nil, &apiError{status: http.StatusUnauthorized, location: "Header",
			message: "the Bearer token of device/connect must be the connect token in the body"}
	}
	deviceType := ""
	if b.DeviceInfo.DeviceType != nil {
		deviceType = *b.DeviceInfo.DeviceType
	}
	now := h.now()
	instanceID, aerr := h.s.tok.redeemConnect(b.ConnectToken, deviceType, now, func(id string) bool {
		in := h.s.store.get(id)
		if in == nil {
			return false
		}
		in.mu.Lock()
		defer in.mu.Unlock()
		in.settle(now)
		return !in.deleted && !in.finished()
	})
	if aerr != nil {
		return nil, aerr
	}
	ttl := h.s.cfg.endUserTTL
	tok := h.s.tok.signEndUser(endUserClaims{Issuer: "gbggen-sandbox", Subject: b.DeviceInfo.DeviceID, InstanceID: instanceID,
		Type: "end-user", IssuedAt: now.Unix(), Expires: now.Add(ttl).Unix()})
	return generated.ConnectDevice200JSONResponse{EndUserTokenJSONResponse: generated.EndUserTokenJSONResponse{
		Body:    generated.EndUserToken{EndUserToken: tok, TokenType: ptr("end-user"), ExpiresIn: ptr(float32(ttl.Seconds()))},
		Headers: generated.EndUserTokenResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

// --- v2 ------------------------------------------------------------------------------------

func (h *handlers) StartJourneyV2(ctx context.Context, req generated.StartJourneyV2RequestObject) (generated.StartJourneyV2ResponseObject, error) {
	var subject map[string]any
	if req.Body.Context.Subject != nil {
		subject = *req.Body.Context.Subject
	}
	in, err := h.start(ctx, req.Body.ResourceID, subject, 2, false)
	if err != nil {
		return nil, err
	}
	in.mu.Lock()
	in.delivery = string(req.Body.Context.Config.Delivery)
	in.mu.Unlock()
	body := generated.HostedInstance{InstanceID: in.id, Status: ptr("started"), Message: ptr("Journey started")}
	if req.Body.Context.Config.Delivery == generated.Page {
		body.InstanceURL = ptr("/journey/" + in.id)
	}
	return generated.StartJourneyV2201JSONResponse{
		Body: body, Headers: generated.StartJourneyV2201ResponseHeaders{XRequestID: requestIDFrom(ctx)}}, nil
}

// typedSubject converts collected subject data into the API's Subject type.
func typedSubject(m map[string]any) *generated.Subject {
	var s generated.Subject
	b, err := json.Marshal(m)
	if err == nil && json.Unmarshal(b, &s) == nil {
		return &s
	}
	return &generated.Subject{}
}

func (h *handlers) FetchStateV2(ctx context.Context, req generated.FetchStateV2RequestObject) (generated.FetchStateV2ResponseObject, error) {
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	status, ended := in.fetched()
	v := in.version
	pj := generated.ProcessJourney{Name: &v.journey.name, ID: &v.journey.resourceID, Version: &v.version, StartedAt: stamp(in.created)}
	result := generated.JourneyResult{Status: ptr("pending"), Advice: ptr("Waiting for the end user to complete the journey")}
	if ended {
		pj.EndedAt = stamp(in.ended)
		pj.DurationMilliSec = ptr(float32(in.ended.Sub(in.created).Milliseconds()))
		if in.failed {
			result = generated.JourneyResult{Status: ptr("failed"), Outcome: ptr("Decision: Fail"), Advice: ptr("Refer the applicant")}
		} else {
			result = generated.JourneyResult{Status: ptr("completed"), Outcome: &v.journey.outcome, Advice: ptr("Proceed")}
		}
	}
	steps := make([]generated.ProcessStep, len(in.tasks))
	for i, t := range in.tasks {
		outcome, class := "Pending", "pending"
		if t.done {
			outcome, class = "Completed", "pass"
		}
		steps[i] = generated.ProcessStep{NodeID: ptr(t.def.key), Name: ptr(t.def.name), Outcome: ptr(outcome),
			OutcomeClassification: ptr(class), Result: &map[string]any{"taskId": t.id}}
	}
	body := generated.JourneyStateV2{InstanceID: in.id, Status: status, Context: &generated.StateContextV2{
		Process: &generated.Process{Journey: &pj, Steps: &steps}, Subject: typedSubject(in.subject), Result: &result}}
	return generated.FetchStateV2200JSONResponse{StateV2JSONResponse: generated.StateV2JSONResponse{
		Body: body, Headers: generated.StateV2ResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

// current is the interaction an API-first journey waits for: its first pending task.
func current(in *instance) *taskState {
	if in.finished() {
		return nil
	}
	for _, t := range in.tasks {
		if !t.done {
			return t
		}
	}
	return nil
}

func (h *handlers) FetchInteraction(ctx context.Context, req generated.FetchInteractionRequestObject) (generated.FetchInteractionResponseObject, error) {
	in, err := h.lookup(ctx, req.Body.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	body := generated.Interaction{InstanceID: &in.id, Context: &generated.InteractionContext{Subject: *typedSubject(in.subject)}}
	outstanding := []string{}
	instructions := []map[string]any{}
	if t := current(in); t != nil {
		body.InteractionID = &t.id
		collects := make([]generated.InteractionItem, len(t.def.refs))
		for i, r := range t.def.refs {
			collects[i] = generated.InteractionItem{Ref: ptr(r), Spec: ptr(generated.Required), Combinator: ptr(generated.AllOf)}
		}
		body.Interaction = &generated.InteractionSpec{Resource: ptr(t.def.key), Collects: &collects, Consumes: &[]generated.InteractionItem{}}
		outstanding = outstandingRefs(in, t)
		instructions = append(instructions, map[string]any{"type": "collect", "message": t.def.name})
	}
	body.Outstanding, body.Instructions = &outstanding, &instructions
	return generated.FetchInteraction200JSONResponse{InteractionJSONResponse: generated.InteractionJSONResponse{
		Body: body, Headers: generated.InteractionResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
}

func (h *handlers) SubmitInteraction(ctx context.Context, req generated.SubmitInteractionRequestObject) (generated.SubmitInteractionResponseObject, error) {
	b := req.Body
	in, err := h.lookup(ctx, b.InstanceID)
	if err != nil {
		return nil, err
	}
	defer in.mu.Unlock()
	reply := func(status, code, msg string) (generated.SubmitInteractionResponseObject, error) {
		body := generated.InteractionSubmitResponse{Status: status}
		if code != "" {
			body.Code, body.Message = &code, &msg
		}
		return generated.SubmitInteraction200JSONResponse{InteractionSubmittedJSONResponse: generated.InteractionSubmittedJSONResponse{
			Body: body, Headers: generated.InteractionSubmittedResponseHeaders{XRequestID: requestIDFrom(ctx)}}}, nil
	}
	t := current(in)
	if t == nil {
		return nil, errorf(http.StatusNotFound, "journey instance %s has no open interaction (%s)", in.id, in.status())
	}
	if b.InteractionID != t.id {
		return reply("error", "4003", "interactionId "+b.InteractionID+" is not the current interaction")
	}
	if bad := in.submit(b.Context.Subject); len(bad) > 0 {
		return reply("error", "4003", "invalid data: "+strings.Join(bad, "; "))
	}
	applyToInstance(ctx, in)
	in.settle(h.now())
	return reply("success", "", "")
}
