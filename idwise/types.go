package idwise

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// StepID identifies a step within its flow. IDWise sends it as a number in
// some responses and as a string in others; a StepID holds its text either
// way ("0", "selfie-1"). Take step IDs from the start-journey response (or
// the constants gbggen generates from a flow), never from another flow.
type StepID string

// UnmarshalJSON accepts a JSON string or an integer.
func (id *StepID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = StepID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("step_id: want a string or an integer, not %s", truncate(b, 20))
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
		return fmt.Errorf("step_id: want a string or an integer, not %s", n)
	}
	*id = StepID(n.String())
	return nil
}

// MarshalJSON writes a canonical non-negative integer ("0", "12") as a JSON
// number, the form the process-journey-step reference uses, and anything else
// as a string.
func (id StepID) MarshalJSON() ([]byte, error) {
	if id.numeric() {
		return []byte(id), nil
	}
	return json.Marshal(string(id))
}

func (id StepID) numeric() bool {
	s := string(id)
	if s == "" || len(s) > 18 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// StepType is the kind of submission a step takes. The set is open: compare
// with the constants, and expect other values.
type StepType string

// The known step types.
const (
	StepDocument StepType = "Document"
	StepSelfie   StepType = "Selfie"
)

// StepStatus is the processing status of a step. The set is open.
type StepStatus string

// The known step statuses. IDWise's reference prints Submitted; the others
// are inferred from its guides.
const (
	StepNotStarted StepStatus = "Not Started"
	StepInProgress StepStatus = "In Progress" // an image is being processed
	StepSubmitted  StepStatus = "Submitted"   // processed: see HasPassedRules and IsConcluded
	StepSkipped    StepStatus = "Skipped"
)

// Decision is a journey decision (system, manual or final). The set is open.
type Decision string

// The known decisions.
const (
	DecisionComplete   Decision = "Complete"
	DecisionIncomplete Decision = "Incomplete"
	DecisionRefer      Decision = "Refer"
	DecisionRejected   Decision = "Rejected"
)

// RuleOutcome is the outcome of a rule or assessment. The set is open.
type RuleOutcome string

// The known rule outcomes.
const (
	RulePassed        RuleOutcome = "Passed"
	RuleFailed        RuleOutcome = "Failed"
	RuleNotApplicable RuleOutcome = "Not Applicable"
)

// ApplicantDetails are sent with StartJourney for AML journeys. Only
// FullName is required.
type ApplicantDetails struct {
	FullName        string `json:"full_name"`
	BirthDate       string `json:"birth_date,omitempty"`       // such as 1990-02-01
	Sex             string `json:"sex,omitempty"`              // male or female
	Address         string `json:"address,omitempty"`          // as printed on a proof of address
	NationalityCode string `json:"nationality_code,omitempty"` // ISO 3166-1 alpha-3, such as GBR
}

// StartRequest is what StartJourney sends.
type StartRequest struct {
	// FlowID is the flow's ID from the IDWise dashboard.
	FlowID string
	// ReferenceNo is your reference for the applicant: letters, digits and
	// - _ / \ , . + @ only. Leading and trailing spaces are removed.
	ReferenceNo string
	// Applicant is optional.
	Applicant *ApplicantDetails
}

// Journey is the answer to StartJourney: the new journey and the steps of
// its flow.
type Journey struct {
	JourneyID   string        `json:"journey_id"`
	ReferenceNo string        `json:"reference_no"`
	IsCompleted bool          `json:"is_completed"`
	Steps       []StepSummary `json:"step_summaries"`
}

// StepSummary is one step: its definition and, once an image was submitted,
// its result.
type StepSummary struct {
	Definition StepDefinition `json:"definition"`
	Result     *StepResult    `json:"result"`
}

// StepDefinition describes a step of a flow.
type StepDefinition struct {
	StepID StepID   `json:"step_id"`
	Type   StepType `json:"step_type"`
	Title  string   `json:"step_title"`
}

// StepResult is the current result of a step.
type StepResult struct {
	Status         StepStatus `json:"status"`
	HasPassedRules bool       `json:"has_passed_rules"`
	// IsConcluded reports that no further attempt is allowed: the step
	// passed, or it is out of attempts.
	IsConcluded bool `json:"is_concluded"`
	// The error_user_feedback_… members: a code for programs and a title and
	// details to show the applicant. Empty when the step has no error.
	FeedbackCode    string                `json:"error_user_feedback_code"`
	FeedbackTitle   string                `json:"error_user_feedback_title"`
	FeedbackDetails string                `json:"error_user_feedback_details"`
	ExtractedFields map[string]FieldValue `json:"extracted_fields,omitempty"`
}

// Processed reports whether the step has an image that IDWise finished
// processing: its status is Submitted or Skipped, or it is concluded. Submit
// the next step or complete the journey only after this.
func (s StepSummary) Processed() bool {
	r := s.Result
	if r == nil {
		return false
	}
	return r.Status == StepSubmitted || r.Status == StepSkipped || r.IsConcluded
}

// FieldValue is a field read from a document.
type FieldValue struct {
	Value string `json:"value"`
}

// Summary is the answer to Summary: the status of a journey and its steps.
type Summary struct {
	JourneyID   string         `json:"journey_id"`
	IsCompleted bool           `json:"is_completed"`
	Steps       []StepSummary  `json:"step_summaries"`
	Result      *InterimResult `json:"result"`
}

// Finished reports whether the journey is completed: CompleteJourney was
// called (or IDWise completed it) and it can no longer change. WaitForSummary
// waits for this by default.
func (s *Summary) Finished() bool { return s != nil && s.IsCompleted }

// Step returns the summary of the step id.
func (s *Summary) Step(id StepID) (StepSummary, bool) {
	if s == nil {
		return StepSummary{}, false
	}
	for _, st := range s.Steps {
		if st.Definition.StepID == id {
			return st, true
		}
	}
	return StepSummary{}, false
}

// AllProcessed reports whether every step that has a result finished
// processing and at least one step has one. Steps never submitted (no
// result) do not hold it back: a flow may have optional steps.
func (s *Summary) AllProcessed() bool {
	if s == nil {
		return false
	}
	seen := false
	for _, st := range s.Steps {
		if st.Result == nil {
			continue
		}
		if !st.Processed() {
			return false
		}
		seen = true
	}
	return seen
}

// InterimResult is the journey's outcome so far.
type InterimResult struct {
	Assessment     RuleOutcome            `json:"interim_rule_assessment"`
	Rules          map[string]InterimRule `json:"interim_rule_details"` // by rule key, such as under_age
	CompletedSteps int                    `json:"completed_steps"`
}

// InterimRule is one rule of an InterimResult.
type InterimRule struct {
	Name   string      `json:"name"`
	Result RuleOutcome `json:"result"`
}

// Result is the final verification result of a journey.
type Result struct {
	JourneyID       string `json:"journey_id"`
	CustomerID      string `json:"customer_id"`
	FlowID          string `json:"flow_id"`
	ReferenceNumber string `json:"reference_number"`
	StartTime       string `json:"start_time"` // such as 2023-01-26T08:12:00.962462
	EndTime         string `json:"end_time"`
	ModelVersion    string `json:"model_version"`

	SystemDecision Decision `json:"system_decision"`
	ManualDecision Decision `json:"manual_decision"` // empty when nobody reviewed the journey
	FinalDecision  Decision `json:"final_decision"`

	// Documents holds the documents submitted, by document ID; DocumentForStep
	// finds the one of a step.
	Documents   map[string]Document   `json:"documents"`
	Selfie      *Selfie               `json:"selfie"`
	RuleResults map[string]RuleResult `json:"rule_results"` // by rule ID
	Applicant   *Applicant            `json:"applicant"`
	AML         *AML                  `json:"aml"`
	// ScreeningChecks are kept as IDWise sent them, by model ID.
	ScreeningChecks map[string]json.RawMessage `json:"screening_checks"`
}

// UnmarshalJSON decodes a result and falls back to journey_definintion_id
// (sic), the older name of flow_id.
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	var v struct {
		plain
		OldFlowID string `json:"journey_definintion_id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Result(v.plain)
	if r.FlowID == "" {
		r.FlowID = v.OldFlowID
	}
	return nil
}

// Decision returns the final decision, or the system decision when IDWise
// sent no final one.
func (r *Result) Decision() Decision {
	if r.FinalDecision != "" {
		return r.FinalDecision
	}
	return r.SystemDecision
}

// DocumentForStep returns the document submitted at step id.
func (r *Result) DocumentForStep(id StepID) (Document, bool) {
	for _, d := range r.Documents {
		if d.StepID == id {
			return d, true
		}
	}
	return Document{}, false
}

// Document is a document submitted at one step, with what was read from it.
type Document struct {
	StepID             StepID                `json:"step_id"`
	DocumentType       string                `json:"document_type"` // such as Passport, Identity Card
	IssuingCountryCode string                `json:"issuing_country_code"`
	IssuingCountryName string                `json:"issuing_country_name"`
	HasPassedRules     bool                  `json:"has_passed_rules"`
	ExtractedFields    map[string]FieldValue `json:"extracted_fields"` // by field name, such as "Full Name"
}

// Field returns the value of an extracted field, or "".
func (d Document) Field(name string) string { return d.ExtractedFields[name].Value }

// Selfie is the result of the selfie step.
type Selfie struct {
	StepID         StepID `json:"step_id"`
	LivenessStatus string `json:"liveness_status"`
	IsLive         *bool  `json:"is_live"`
	HasPassedRules bool   `json:"has_passed_rules"`
}

// RuleResult is the outcome of one rule (check) of the journey.
type RuleResult struct {
	Name    string                     `json:"name"`
	Result  RuleOutcome                `json:"result"`
	Details map[string]json.RawMessage `json:"details,omitempty"`
}

// Applicant is what the journey learnt of the applicant.
type Applicant struct {
	FullName        string `json:"full_name"`
	BirthDate       string `json:"birth_date"`
	Sex             string `json:"sex"`
	NationalityCode string `json:"nationality_code"`
}

// AML is the anti-money-laundering screening of the applicant.
type AML struct {
	Result    RuleOutcome `json:"result"`
	TotalHits int         `json:"total_hits"`
	Hits      []AMLHit    `json:"hits"`
}

// AMLHit is one screening hit.
type AMLHit struct {
	Name       string   `json:"name"`
	MatchTypes []string `json:"match_types"`
	Sources    []string `json:"sources"`
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
