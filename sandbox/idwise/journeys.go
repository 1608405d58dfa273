package idwise

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gbggen/gbggen/idwise/flow"
)

// Markers: an image containing one of these bytes sequences gets a failing result, so that
// tests can reach every decision.
const (
	markerReject = "REJECT"
	markerRefer  = "REFER"
)

// Decisions (system_decision) the emulator makes. IDWise's are an open set.
const (
	DecisionComplete   = "Complete"
	DecisionRefer      = "Refer"
	DecisionRejected   = "Rejected"
	DecisionIncomplete = "Incomplete"
)

// Step statuses in summaries (a step not submitted has no result). IDWise's reference prints
// Submitted for a processed step.
const (
	StatusProcessing = "In Progress"
	StatusProcessed  = "Submitted"
	StatusSkipped    = "Skipped"
)

var referenceNo = regexp.MustCompile(`^[A-Za-z0-9\-_/\\,.+@]{1,128}$`)

type applicantDetails struct {
	FullName        string `json:"full_name"`
	BirthDate       string `json:"birth_date,omitempty"`
	Sex             string `json:"sex,omitempty"`
	Address         string `json:"address,omitempty"`
	NationalityCode string `json:"nationality_code,omitempty"`
}

type startRequest struct {
	FlowID           string            `json:"flow_id"`
	ReferenceNo      string            `json:"reference_no"`
	ApplicantDetails *applicantDetails `json:"applicant_details"`
}

// readJSON decodes the body (at most max bytes, one JSON value, no unknown member) into v.
func readJSON(w http.ResponseWriter, r *http.Request, max int64, v any) *apiError {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type %q: want application/json", ct)
		}
	}
	if err := decodeStrict(http.MaxBytesReader(w, r.Body, max), v); err != nil {
		return bodyError(err)
	}
	return nil
}

func bodyError(err error) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, "request_too_large", "request body larger than %d bytes", mbe.Limit)
	}
	if errors.Is(err, io.EOF) {
		return errorf(http.StatusBadRequest, "validation_error", "empty request body")
	}
	return errorf(http.StatusBadRequest, "validation_error", "invalid request body: %v", err)
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) *apiError {
	var req startRequest
	if err := readJSON(w, r, s.cfg.maxJSON, &req); err != nil {
		return err
	}
	if req.FlowID == "" {
		return errorf(http.StatusBadRequest, "validation_error", "flow_id: missing")
	}
	if !referenceNo.MatchString(req.ReferenceNo) {
		return errorf(http.StatusBadRequest, "validation_error", `reference_no: want 1 to 128 letters, digits and - _ / \ , . + @`)
	}
	if err := checkApplicant(req.ApplicantDetails); err != nil {
		return err
	}
	flow, ok := s.flows[req.FlowID]
	if !ok {
		return errorf(http.StatusNotFound, "flow_not_found", "flow_id %q: no such flow", truncate(req.FlowID, 64))
	}
	now := s.cfg.now()
	j := &journey{id: newUUID(), ref: req.ReferenceNo, flow: flow, applicant: req.ApplicantDetails,
		created: now, steps: map[string]*stepState{}, polls: map[string]time.Time{}}
	s.store.add(j, now)
	steps := j.stepSummaries(now)
	for i, st := range flow.Steps {
		steps[i].Definition.StepID = StepID{Text: st.StepID, Numeric: st.Numeric} // as the flow file writes it
	}
	writeJSON(w, http.StatusOK, startResponse{JourneyID: j.id, ReferenceNo: j.ref, IsCompleted: false, StepSummaries: steps})
	return nil
}

func checkApplicant(a *applicantDetails) *apiError {
	if a == nil {
		return nil
	}
	if strings.TrimSpace(a.FullName) == "" {
		return errorf(http.StatusBadRequest, "validation_error", "applicant_details.full_name: missing")
	}
	if a.BirthDate != "" {
		if _, err := time.Parse(time.DateOnly, a.BirthDate); err != nil {
			return errorf(http.StatusBadRequest, "validation_error", "applicant_details.birth_date: want YYYY-MM-DD")
		}
	}
	return nil
}

type startResponse struct {
	JourneyID     string        `json:"journey_id"`
	ReferenceNo   string        `json:"reference_no"`
	IsCompleted   bool          `json:"is_completed"`
	StepSummaries []stepSummary `json:"step_summaries"`
}

// upload is a process-journey-step request, from either encoding.
type upload struct {
	journeyID string
	stepID    string
	images    [][]byte
	skipped   bool
}

type processJSON struct {
	JourneyID string  `json:"journey_id"`
	StepID    StepID  `json:"step_id"`
	Image     *string `json:"image"`
	Image2    *string `json:"image2"`
	IsSkipped bool    `json:"is_skipped"`
}

func (s *Server) process(w http.ResponseWriter, r *http.Request) *apiError {
	up, err := s.readUpload(w, r)
	if err != nil {
		return err
	}
	now := s.cfg.now()
	var opErr *apiError
	found := s.store.with(up.journeyID, now, func(j *journey) {
		step, ok := j.flow.Step(up.stepID)
		switch {
		case !j.completed.IsZero():
			opErr = errorf(http.StatusConflict, "journey_completed", "journey %s is completed: its steps can no longer change", j.id)
		case !ok:
			opErr = errorf(http.StatusBadRequest, "invalid_step_id", "step_id %q is not a step of flow %s", truncate(up.stepID, 64), j.flow.FlowID)
		case !up.skipped && len(up.images) == 0:
			opErr = errorf(http.StatusBadRequest, "validation_error", "image: missing")
		case step.Type == flow.Selfie && len(up.images) > 1:
			opErr = errorf(http.StatusBadRequest, "validation_error", "image2: step %s is a Selfie step, which takes one image", step.StepID)
		}
		if opErr != nil {
			return
		}
		st := &stepState{submitted: now, ready: now.Add(s.cfg.delay), skipped: up.skipped, images: len(up.images)}
		if !up.skipped {
			sum := sha256.Sum256(up.images[0])
			copy(st.digest[:], sum[:])
			for _, img := range up.images {
				switch {
				case bytes.Contains(img, []byte(markerReject)):
					st.marker = markerReject
				case bytes.Contains(img, []byte(markerRefer)) && st.marker == "":
					st.marker = markerRefer
				}
			}
		}
		j.steps[up.stepID] = st
	})
	if !found {
		return journeyNotFound(up.journeyID)
	}
	if opErr != nil {
		return opErr
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	return nil
}

func journeyNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "journey_not_found", "journey %q does not exist, was deleted or has expired", truncate(id, 64))
}

// readUpload reads a process-journey-step body, multipart/form-data or JSON with base64
// images, of at most maxUpload bytes.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (*upload, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	body := &limitedBody{r: http.MaxBytesReader(w, r.Body, s.cfg.maxUpload)}
	var up *upload
	var uerr *apiError
	switch mt {
	case "multipart/form-data":
		up, uerr = readMultipart(body, params["boundary"], s.cfg.maxUpload)
	case "application/json":
		up, uerr = readUploadJSON(body)
	default:
		return nil, errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type %q: want multipart/form-data or application/json", r.Header.Get("Content-Type"))
	}
	if body.over != nil { // the parser may report the cut-off body as malformed instead
		return nil, bodyError(body.over)
	}
	if uerr != nil {
		return nil, uerr
	}
	switch {
	case up.journeyID == "":
		return nil, errorf(http.StatusBadRequest, "validation_error", "journey_id: missing")
	case up.stepID == "":
		return nil, errorf(http.StatusBadRequest, "validation_error", "step_id: missing")
	}
	return up, nil
}

// limitedBody remembers that the body went over its limit.
type limitedBody struct {
	r    io.Reader
	over error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.over = err
	}
	return n, err
}

func readUploadJSON(body io.Reader) (*upload, *apiError) {
	var req processJSON
	if err := decodeStrict(body, &req); err != nil {
		return nil, bodyError(err)
	}
	up := &upload{journeyID: req.JourneyID, stepID: req.StepID.Text, skipped: req.IsSkipped}
	for i, enc := range []*string{req.Image, req.Image2} {
		if enc == nil {
			continue
		}
		img, err := decodeBase64(*enc)
		if err != nil || len(img) == 0 {
			return nil, errorf(http.StatusBadRequest, "validation_error", "%s: want a non-empty base64 image", imageField(i))
		}
		if i == 1 && req.Image == nil {
			return nil, errorf(http.StatusBadRequest, "validation_error", "image2 without image")
		}
		up.images = append(up.images, img)
	}
	return up, nil
}

func imageField(i int) string {
	if i == 0 {
		return "image"
	}
	return "image2"
}

// decodeBase64 accepts standard base64 with or without padding, or a data: URL of it.
func decodeBase64(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		_, payload, found := strings.Cut(rest, ";base64,")
		if !found {
			return nil, errors.New("data URL without ;base64,")
		}
		s = payload
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// readMultipart reads the parts one by one (so nothing but the images is buffered): text
// fields journey_id, step_id, is_skipped and files image, image2, each at most once.
func readMultipart(body io.Reader, boundary string, max int64) (*upload, *apiError) {
	if boundary == "" {
		return nil, errorf(http.StatusBadRequest, "validation_error", "multipart/form-data without a boundary")
	}
	mr := multipart.NewReader(body, boundary)
	up := &upload{}
	seen := map[string]bool{}
	var image, image2 []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err)
		}
		name := p.FormName()
		if seen[name] {
			return nil, errorf(http.StatusBadRequest, "validation_error", "field %q given twice", truncate(name, 40))
		}
		seen[name] = true
		limit := int64(1024)
		if name == "image" || name == "image2" {
			limit = max
		}
		data, err := io.ReadAll(io.LimitReader(p, limit+1))
		if err != nil {
			return nil, bodyError(err)
		}
		if int64(len(data)) > limit {
			return nil, errorf(http.StatusBadRequest, "validation_error", "field %q longer than %d bytes", name, limit)
		}
		switch name {
		case "journey_id":
			up.journeyID = string(data)
		case "step_id":
			up.stepID = strings.TrimSpace(string(data))
		case "is_skipped":
			b, err := strconv.ParseBool(string(data))
			if err != nil {
				return nil, errorf(http.StatusBadRequest, "validation_error", "is_skipped: want true or false")
			}
			up.skipped = b
		case "image":
			image = data
		case "image2":
			image2 = data
		default:
			return nil, errorf(http.StatusBadRequest, "validation_error", "unknown field %q", truncate(name, 40))
		}
	}
	if seen["image"] && len(image) == 0 || seen["image2"] && len(image2) == 0 {
		return nil, errorf(http.StatusBadRequest, "validation_error", "an image is empty")
	}
	if image2 != nil && image == nil {
		return nil, errorf(http.StatusBadRequest, "validation_error", "image2 without image")
	}
	for _, img := range [][]byte{image, image2} {
		if img != nil {
			up.images = append(up.images, img)
		}
	}
	return up, nil
}

type journeyRequest struct {
	JourneyID string `json:"journey_id"`
}

func (s *Server) complete(w http.ResponseWriter, r *http.Request) *apiError {
	var req journeyRequest
	if err := readJSON(w, r, s.cfg.maxJSON, &req); err != nil {
		return err
	}
	if req.JourneyID == "" {
		return errorf(http.StatusBadRequest, "validation_error", "journey_id: missing")
	}
	now := s.cfg.now()
	var opErr *apiError
	var ev *Event
	found := s.store.with(req.JourneyID, now, func(j *journey) {
		if !j.completed.IsZero() {
			opErr = errorf(http.StatusConflict, "journey_completed", "journey %s is already completed", j.id)
			return
		}
		for _, st := range j.flow.Steps {
			if ss := j.steps[st.StepID]; ss != nil && !ss.skipped && now.Before(ss.ready) {
				opErr = errorf(http.StatusConflict, "step_processing",
					"step %s is still processing: poll the summary until it is processed, then complete", st.StepID)
				opErr.retryAfter = retryAfter(ss.ready.Sub(now))
				return
			}
		}
		j.completed = now
		j.decision = j.systemDecision()
		j.eventID = newUUID()
		ev = j.event()
	})
	if !found {
		return journeyNotFound(req.JourneyID)
	}
	if opErr != nil {
		return opErr
	}
	if s.hooks != nil {
		s.hooks.send(ev)
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	return nil
}

// summary answers get-journey-summary, at most once per WithSummaryInterval per credential
// and journey.
func (s *Server) summary(w http.ResponseWriter, key, id string) *apiError {
	if id == "" {
		return errorf(http.StatusBadRequest, "validation_error", "journey_id: missing")
	}
	now := s.cfg.now()
	var sum *summaryResponse
	var opErr *apiError
	found := s.store.with(id, now, func(j *journey) {
		if last, ok := j.polls[key]; ok && now.Sub(last) < s.cfg.pollInterval {
			opErr = errorf(http.StatusTooManyRequests, "too_many_requests",
				"journey %s: poll the summary at most every %s", j.id, s.cfg.pollInterval)
			opErr.retryAfter = retryAfter(s.cfg.pollInterval - now.Sub(last))
			return
		}
		j.polls[key] = now
		sum = j.summary(now)
	})
	if !found {
		return journeyNotFound(id)
	}
	if opErr != nil {
		return opErr
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// result answers get-journey-result: the decisions (once completed), documents, selfie, rule
// results, applicant and AML screening.
func (s *Server) result(w http.ResponseWriter, id string) *apiError {
	if id == "" {
		return errorf(http.StatusBadRequest, "validation_error", "journey_id: missing")
	}
	now := s.cfg.now()
	var res *resultResponse
	if !s.store.with(id, now, func(j *journey) { res = j.result(now) }) {
		return journeyNotFound(id)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) delete(w http.ResponseWriter, id string) *apiError {
	if !s.store.remove(id, s.cfg.now()) {
		return journeyNotFound(id)
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	return nil
}

// Responses, in the shapes of api/idwise.yaml.

type stepDefinition struct {
	StepID StepID `json:"step_id"`
	Type   string `json:"step_type"`
	Title  string `json:"step_title"`
}

type stepResult struct {
	Status          string           `json:"status"`
	HasPassedRules  bool             `json:"has_passed_rules"`
	IsConcluded     bool             `json:"is_concluded"`
	FeedbackCode    *string          `json:"error_user_feedback_code"`
	FeedbackTitle   string           `json:"error_user_feedback_title"`
	FeedbackDetails string           `json:"error_user_feedback_details"`
	ExtractedFields map[string]field `json:"extracted_fields,omitempty"`
}

// stepSummary is a step's definition and, once submitted, its result (null before).
type stepSummary struct {
	Definition stepDefinition `json:"definition"`
	Result     *stepResult    `json:"result"`
}

type field struct {
	Value string `json:"value"`
}

type interimRule struct {
	Name   string `json:"name"`
	Result string `json:"result"`
}

type interimResult struct {
	Assessment     string                 `json:"interim_rule_assessment"`
	Rules          map[string]interimRule `json:"interim_rule_details"`
	CompletedSteps int                    `json:"completed_steps"`
}

type summaryResponse struct {
	JourneyID     string         `json:"journey_id"`
	IsCompleted   bool           `json:"is_completed"`
	StepSummaries []stepSummary  `json:"step_summaries"`
	Result        *interimResult `json:"result"`
}

type document struct {
	StepID             StepID           `json:"step_id"`
	DocumentType       string           `json:"document_type"`
	IssuingCountryCode string           `json:"issuing_country_code"`
	IssuingCountryName string           `json:"issuing_country_name"`
	HasPassedRules     bool             `json:"has_passed_rules"`
	ExtractedFields    map[string]field `json:"extracted_fields"`
}

type selfie struct {
	StepID         StepID `json:"step_id"`
	LivenessStatus string `json:"liveness_status"`
	IsLive         bool   `json:"is_live"`
	HasPassedRules bool   `json:"has_passed_rules"`
}

type ruleResult struct {
	Name    string         `json:"name"`
	Result  string         `json:"result"`
	Details map[string]any `json:"details"`
}

type applicant struct {
	FullName        string  `json:"full_name"`
	BirthDate       *string `json:"birth_date"`
	Sex             *string `json:"sex"`
	NationalityCode *string `json:"nationality_code"`
}

type amlHit struct {
	Name       string   `json:"name"`
	MatchTypes []string `json:"match_types"`
	Sources    []string `json:"sources"`
}

type amlResult struct {
	Result    string   `json:"result"`
	TotalHits int      `json:"total_hits"`
	Hits      []amlHit `json:"hits"`
}

type resultResponse struct {
	JourneyID       string                `json:"journey_id"`
	CustomerID      string                `json:"customer_id"`
	FlowID          string                `json:"flow_id"`
	OldFlowID       string                `json:"journey_definintion_id"` // sic, IDWise's older name
	ReferenceNumber string                `json:"reference_number"`
	StartTime       string                `json:"start_time"`
	EndTime         *string               `json:"end_time"`
	SystemDecision  string                `json:"system_decision,omitempty"`
	ManualDecision  *string               `json:"manual_decision"`
	FinalDecision   string                `json:"final_decision,omitempty"`
	ModelVersion    string                `json:"model_version"`
	Documents       map[string]document   `json:"documents"`
	Selfie          *selfie               `json:"selfie"`
	RuleResults     map[string]ruleResult `json:"rule_results"`
	Applicant       *applicant            `json:"applicant"`
	AML             *amlResult            `json:"aml"`
	ScreeningChecks map[string]any        `json:"screening_checks"`
}

// Rule outcomes.
const (
	rulePassed = "Passed"
	ruleFailed = "Failed"
	ruleNA     = "Not Applicable"
)

// rule is one check of a step: it fails when the step's image carries marker.
type rule struct {
	key, name, marker string
}

var rulesOf = map[string][]rule{
	flow.Document: {{"document_authenticity", "Document Authenticity", markerReject}, {"image_quality", "Image Quality", markerRefer}},
	flow.Selfie:   {{"liveness", "Liveness", markerReject}, {"face_match", "Face Match", markerRefer}},
}

// stringID is the step ID as summaries and results write it: always a string (the start
// response writes it as the flow file does), as IDWise mixes the two.
func stringID(st flow.Step) StepID { return StepID{Text: st.StepID} }

// processed returns the step's state when it has been processed (not skipped).
func (j *journey) processed(st flow.Step, now time.Time) (*stepState, bool) {
	ss := j.steps[st.StepID]
	return ss, ss != nil && !ss.skipped && !now.Before(ss.ready)
}

func (j *journey) stepSummaries(now time.Time) []stepSummary {
	out := make([]stepSummary, 0, len(j.flow.Steps))
	for _, st := range j.flow.Steps {
		out = append(out, j.stepSummary(st, now))
	}
	return out
}

func (j *journey) stepSummary(st flow.Step, now time.Time) stepSummary {
	sum := stepSummary{Definition: stepDefinition{StepID: stringID(st), Type: st.Type, Title: st.Title}}
	ss := j.steps[st.StepID]
	switch {
	case ss == nil:
		return sum
	case ss.skipped:
		sum.Result = &stepResult{Status: StatusSkipped, IsConcluded: true, HasPassedRules: true}
		return sum
	case now.Before(ss.ready):
		sum.Result = &stepResult{Status: StatusProcessing}
		return sum
	}
	res := &stepResult{Status: StatusProcessed, HasPassedRules: ss.marker == ""}
	res.IsConcluded = res.HasPassedRules
	if ss.marker != "" {
		code := "emulator_" + strings.ToLower(ss.marker)
		res.FeedbackCode = &code
		res.FeedbackTitle = "The image did not pass the checks"
		res.FeedbackDetails = "The emulator found the marker " + ss.marker + " in the image."
	}
	if st.Type == flow.Document {
		res.ExtractedFields = j.fields(ss)
	}
	sum.Result = res
	return sum
}

// ruleOutcome is the outcome of r on a step in state ss.
func ruleOutcome(r rule, ss *stepState) string {
	if ss.marker == r.marker {
		return ruleFailed
	}
	return rulePassed
}

func (j *journey) summary(now time.Time) *summaryResponse {
	sum := &summaryResponse{JourneyID: j.id, IsCompleted: !j.completed.IsZero(), StepSummaries: j.stepSummaries(now)}
	interim := &interimResult{Assessment: ruleNA, Rules: map[string]interimRule{}}
	for _, st := range j.flow.Steps {
		if ss := j.steps[st.StepID]; ss != nil && (ss.skipped || !now.Before(ss.ready)) {
			interim.CompletedSteps++
		}
		ss, ok := j.processed(st, now)
		if !ok {
			continue
		}
		for _, r := range rulesOf[st.Type] {
			out := ruleOutcome(r, ss)
			interim.Rules[r.key+"."+st.StepID] = interimRule{Name: r.name, Result: out}
			if out == ruleFailed || interim.Assessment == ruleNA {
				interim.Assessment = out
			}
		}
	}
	if a := j.aml(); a != nil {
		interim.Rules["aml"] = interimRule{Name: "AML Screening", Result: a.Result}
	}
	sum.Result = interim
	return sum
}

// fields makes a document's extracted fields: the applicant's details when the journey has
// them, demo values otherwise, and a document number derived from the image.
func (j *journey) fields(ss *stepState) map[string]field {
	name, birth, nat := "JANE DOE", "1990-01-31", "GBR"
	if a := j.applicant; a != nil {
		name = strings.ToUpper(a.FullName)
		if a.BirthDate != "" {
			birth = a.BirthDate
		}
		if a.NationalityCode != "" {
			nat = strings.ToUpper(a.NationalityCode)
		}
	}
	first, last, _ := strings.Cut(name, " ")
	return map[string]field{
		"Full Name":       {name},
		"First Name":      {first},
		"Last Name":       {last},
		"Birth Date":      {birth},
		"Nationality":     {nat},
		"Document Number": {fmt.Sprintf("X%X", ss.digest[:4])},
		"Expiry Date":     {ss.submitted.UTC().AddDate(5, 0, 0).Format(time.DateOnly)},
	}
}

// idwiseTime is IDWise's timestamp format: microseconds, no zone (UTC).
func idwiseTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

func (j *journey) result(now time.Time) *resultResponse {
	res := &resultResponse{
		JourneyID: j.id, CustomerID: "emulator", FlowID: j.flow.FlowID, OldFlowID: j.flow.FlowID,
		ReferenceNumber: j.ref, StartTime: idwiseTime(j.created), ModelVersion: "gbggen-emulator-1",
		Documents: map[string]document{}, RuleResults: map[string]ruleResult{}, AML: j.aml(),
		ScreeningChecks: map[string]any{},
	}
	if !j.completed.IsZero() {
		end := idwiseTime(j.completed)
		res.EndTime, res.SystemDecision, res.FinalDecision = &end, j.decision, j.decision
	}
	for _, st := range j.flow.Steps {
		ss, ok := j.processed(st, now)
		if !ok {
			continue
		}
		for _, r := range rulesOf[st.Type] {
			res.RuleResults[r.key+"."+st.StepID] = ruleResult{Name: r.name, Result: ruleOutcome(r, ss),
				Details: map[string]any{"step_id": st.StepID}}
		}
		if st.Type == flow.Selfie {
			live := ss.marker != markerReject
			res.Selfie = &selfie{StepID: stringID(st), LivenessStatus: "Live", IsLive: live, HasPassedRules: ss.marker == ""}
			if !live {
				res.Selfie.LivenessStatus = "Not Live"
			}
			continue
		}
		docType := "Passport"
		if ss.images > 1 {
			docType = "Identity Card"
		}
		fields := j.fields(ss)
		nat := fields["Nationality"].Value
		res.Documents[documentID(j.id, st.StepID)] = document{StepID: stringID(st), DocumentType: docType,
			IssuingCountryCode: nat, IssuingCountryName: countryName(nat), HasPassedRules: ss.marker == "",
			ExtractedFields: fields}
	}
	if a := j.applicant; a != nil {
		res.Applicant = &applicant{FullName: a.FullName, BirthDate: optional(a.BirthDate), Sex: optional(a.Sex),
			NationalityCode: optional(a.NationalityCode)}
	}
	return res
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// documentID derives a stable document ID from the journey and the step.
func documentID(journeyID, stepID string) string {
	sum := sha256.Sum256([]byte(journeyID + "\x00" + stepID))
	return fmt.Sprintf("%x", sum[:12])
}

func countryName(code string) string {
	names := map[string]string{"GBR": "United Kingdom", "ARE": "United Arab Emirates", "QAT": "Qatar", "DEU": "Germany", "FRA": "France", "USA": "United States"}
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// aml screens the applicant, when the journey has one: a full name containing "PEP" is a
// hit (a politically exposed person), for tests.
func (j *journey) aml() *amlResult {
	if j.applicant == nil {
		return nil
	}
	if strings.Contains(strings.ToUpper(j.applicant.FullName), "PEP") {
		return &amlResult{Result: ruleFailed, TotalHits: 1, Hits: []amlHit{{Name: strings.ToUpper(j.applicant.FullName),
			MatchTypes: []string{"name_exact"}, Sources: []string{"Politically Exposed Persons (emulator)"}}}}
	}
	return &amlResult{Result: rulePassed, Hits: []amlHit{}}
}

// systemDecision: Incomplete when a step was neither processed nor skipped, Rejected when a
// rule failed its first rule (authenticity, liveness), Refer when its second (image quality,
// face match) or the AML screening, Complete otherwise.
func (j *journey) systemDecision() string {
	decision := DecisionComplete
	for _, st := range j.flow.Steps {
		ss := j.steps[st.StepID]
		switch {
		case ss == nil:
			return DecisionIncomplete
		case ss.marker == markerReject:
			decision = DecisionRejected
		case ss.marker == markerRefer && decision == DecisionComplete:
			decision = DecisionRefer
		}
	}
	if a := j.aml(); a != nil && a.Result == ruleFailed && decision == DecisionComplete {
		decision = DecisionRefer
	}
	return decision
}
