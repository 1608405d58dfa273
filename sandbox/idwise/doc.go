// Package idwise is a local emulator of IDWise's backend Journey Builder API, an
// http.Handler. The GBG emulator (package sandbox, `gbggen serve`) mounts it, so that one
// process serves both providers; it can also be served on its own:
//
//	srv, err := idwise.New()            // demo flow, DefaultCredentials
//	ts := httptest.NewServer(srv)
//	defer srv.Close()                   // stops webhook retries
//
// It keeps all state in memory and is safe for concurrent use.
//
// # Paths
//
// The reference paths, below a prefix (DefaultPrefix "/journey/v2" unless WithPrefix says
// otherwise), and the integration guide's /v2 paths, which are served whatever the prefix:
//
//	POST   <prefix>/start-journey         POST /v2/start-journey
//	POST   <prefix>/process-journey-step  POST /v2/process-journey-step
//	POST   <prefix>/complete-journey      POST /v2/complete-journey
//	GET    <prefix>/summary/?journey_id=ID or <prefix>/summary/ID
//	GET    <prefix>/get-journey-summary?journey_id=ID, /v2/get-journey-summary?journey_id=ID
//	GET    <prefix>/get-journey-result?journey_id=ID,  /v2/get-journey-result?journey_id=ID
//	DELETE /journey/ID                    removes the journey and its data
//
// Owns tells a server sharing the listener which requests are for this one: everything below
// the prefix, the /v2 paths above and DELETE /journey/ID (GET and POST /journey/ID are GBG's
// hosted page).
//
// # Authentication and errors
//
// Every call needs HTTP Basic credentials, the API key and secret (DefaultCredentials:
// idwise-demo / idwise-demo-secret), checked in constant time before any of the body is read.
// Errors are {"success": false, "message": "…", "error_code": "…"}: 401
// missing_authorization_header or invalid_credentials; 400 validation_error or
// invalid_step_id; 404 not_found (path), flow_not_found, journey_not_found; 405
// method_not_allowed; 409 journey_completed, step_processing (complete-journey while a step
// is processing; with Retry-After); 413 request_too_large; 415 unsupported_media_type; 429
// too_many_requests (with Retry-After). JSON bodies are one value with no unknown member and
// nothing after it; JSON calls take at most 64 KiB, uploads 16 MiB (WithMaxBodyBytes).
//
// # Flows
//
// WithFlowsDir(DIR) (or WithFlows(fs.FS)) serves every DIR/*.json file as a flow, in the
// format of the flow definition files gbggen fetch writes, plus an optional display name:
//
//	{
//	  "flow_id": "demo-flow",
//	  "name": "Document and selfie",
//	  "steps": [
//	    {"step_id": 0, "type": "Document", "title": "ID Document"},
//	    {"step_id": 1, "type": "Selfie", "title": "Selfie"}
//	  ]
//	}
//
// The files are read by package flow (github.com/gbggen/gbggen/idwise/flow), as gbggen
// generate reads them, so a file one accepts the other does too; the emulator refuses only a
// step type other than Document and Selfie, which it could not process. step_id is an integer
// from 0 to 2⁶³-1 or a string; a request may send either form (0 and "0" are the same step).
// Like IDWise, which mixes the two, the start response writes it as the file does and
// summaries and results always as a string. Without a directory the built-in flow above
// (DemoFlowID) is served.
//
// # Behaviour
//
// Responses have the shapes of api/idwise.yaml.
//
//   - start-journey {flow_id, reference_no, applicant_details?} returns journey_id,
//     reference_no, is_completed false and step_summaries: one entry per step of the flow,
//     {"definition": {step_id, step_type, step_title}, "result": null}, which is how a client
//     learns the steps. reference_no is 1 to 128 of A-Z a-z 0-9 - _ / \ , . + @;
//     applicant_details needs full_name, and birth_date is YYYY-MM-DD.
//   - process-journey-step takes multipart/form-data (journey_id, step_id, is_skipped, files
//     image and image2) or JSON with base64 images ({"journey_id", "step_id", "image",
//     "image2", "is_skipped"}), answers {"success": true} at once and processes the step
//     asynchronously: the step's result has status "In Progress" for WithProcessingDelay
//     (default 1 s, read from the WithClock clock), then "Submitted" with has_passed_rules,
//     is_concluded, error_user_feedback_… and, for a Document step, extracted_fields. A
//     skipped step is "Skipped". A Selfie step takes one image; submitting a step again
//     replaces it.
//   - complete-journey {journey_id} finishes the journey (409 step_processing while a step is
//     processing) and makes the system decision: Incomplete when a step was not submitted,
//     Rejected when a first rule failed, Refer when a second rule failed or the AML screening
//     hit, Complete otherwise. After it, steps cannot change.
//   - summary returns journey_id, is_completed, step_summaries and result (the interim
//     assessment: interim_rule_assessment, interim_rule_details by rule key, completed_steps).
//     A credential that polls one journey's summary again within WithSummaryInterval (default
//     2 s, IDWise's documented floor) gets 429 too_many_requests with Retry-After; only
//     answered polls count.
//   - get-journey-result returns journey_id, flow_id (and journey_definintion_id, sic),
//     reference_number, start_time, end_time, system_decision and final_decision (once
//     completed; manual_decision is null), documents by document ID (step_id, document_type,
//     issuing country, has_passed_rules, extracted_fields {"Full Name": {"value": …}, …}),
//     selfie (liveness_status, is_live), rule_results by rule ID (<rule>.<step_id>), applicant
//     and aml {result, total_hits, hits} (both only for journeys started with
//     applicant_details).
//   - Journeys are forgotten 24 h after they start, and beyond 10,000 the oldest goes first
//     (WithJourneyLimits); a forgotten journey is 404 journey_not_found.
//
// Results are made up, but deterministically: extracted fields come from applicant_details
// when given (demo values otherwise) and the document number from the image's digest. Each
// step has two rules. An image containing the bytes REJECT fails the first (Document
// Authenticity, Liveness), one containing REFER the second (Image Quality, Face Match), and an
// applicant whose full name contains PEP is an AML hit.
//
// # Webhooks
//
// WithWebhook(Webhook{URL, Auth}) posts, when a journey completes,
//
//	{"event": "Finished Journey", "body": {"eventId", "journeyId", "referenceNo", "flowId",
//	 "systemDecision", "finalDecision", "finishedAt"}}
//
// authenticated by Basic, Bearer or a custom header (ParseWebhookAuth reads
// "basic:USER:PASSWORD", "bearer:TOKEN", "header:NAME:VALUE"); like IDWise, it signs nothing.
// Until an answer is 2xx it retries with the same eventId, waiting Backoff (default 1 s),
// doubling up to MaxBackoff (1 min), for at most MaxAttempts (6) attempts. Close stops the
// retries; WaitDeliveries waits for the deliveries pending.
package idwise
