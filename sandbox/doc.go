// Package sandbox is a local emulator of the GBG GO journey API (`gbggen serve`, command gbgserve), built from
// the same OpenAPI description (api/openapi.yaml) as the client: the operations are the
// oapi-codegen strict server interface in package generated, every request is validated
// against the spec by kin-openapi's openapi3filter, and errors come back in the documented
// shapes. It keeps all state in memory and is safe for concurrent use.
//
// Use it in-process from tests:
//
//	srv, err := sandbox.New()                  // built-in demo journeys, DefaultCredentials
//	ts := httptest.NewServer(srv)              // *Server is an http.Handler
//	// token URL: ts.URL+"/as/token.oauth2"; API base: ts.URL (paths /captain/api/…, /v2/captain/…)
//	// journey:   sandbox.OnboardingResourceID+"@latest"
//
// or from the command line: gbggen serve (or gbgserve) [-addr 127.0.0.1:8080] [-journeys DIR].
//
// # Limits
//
// What a peer can make the emulator hold is bounded, so that it can be left running:
//
//   - A journey call is authenticated from its header alone, before anything else: without
//     a valid token it is refused (401) and not a byte of its body is read, nor its
//     scenario applied. device/connect needs a connect token the emulator issued.
//   - An authenticated request body is read up to WithMaxBodyBytes (default 1 MiB) and
//     refused beyond it (400); a token request, which anyone may send, up to
//     MaxTokenBodyBytes (64 KiB). A JSON body must be one JSON value: anything after it but
//     whitespace is 400 ("unexpected data after the JSON value").
//   - A scenario header is at most MaxScenarioBytes (1 KiB; longer is 400). The request
//     counters of rate-limit=N and unavailable=N keep the 10,000 header values used most
//     recently.
//   - A finished (completed or failed) instance is forgotten WithInstanceTTL (default one
//     hour) after it finished, as if deleted (404 afterwards). At most WithMaxInstances
//     (default 10,000) instances are kept: a start at the bound forgets the instance that
//     finished first; when every instance is in progress the start is refused with 503
//     (v2: 5005 SERVICE_UNAVAILABLE), since forgetting a journey its client is still walking
//     would break it silently. Finish or delete instances, or raise the bound.
//   - Serve closes slow and idle connections: WithTimeouts sets http.Server's
//     ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout (DefaultTimeouts: 10 s,
//     30 s, 30 s, 2 min; WriteTimeout must exceed the latency scenarios used, MaxLatency at
//     most). A Server mounted in another http.Server (httptest) has that server's timeouts.
//
// gbgserve sets each with a flag: -max-body-bytes, -instance-ttl, -max-instances,
// -read-header-timeout, -read-timeout, -write-timeout, -idle-timeout.
//
// # Paths and error shapes
//
// The paths are those of the real hosts: /as/token.oauth2 (token), /captain/api/journey/…
// (v1 and device) and /v2/captain/journey/… (v2). Every response carries X-Request-ID.
// Errors on v1 paths are {"status","message","error"}; task/update and request-validation
// errors add "violations": [{"pointer","message"}], one per bad value, each a JSON Pointer
// (RFC 6901) into the validated document (for task data: the document the task schema
// describes, so pointers start /context/subject/…). Errors on v2 paths are
// {"errors":[{"code","name","location","problem","action"}]} with the documented codes: 1001
// NOT_FOUND 404, 2001 UNAUTHORIZED 401, 2002 FORBIDDEN 403, 4002 MISSING_FIELD 400 (a required
// field is missing or the body cannot be read), 4003 INVALID_FIELD 409 (a field has a wrong
// value), 4004 UNPROCESSABLE_ENTITY 422, 5001 UNKNOWN 500, 5005 SERVICE_UNAVAILABLE 503; for
// statuses the table lacks the emulator uses 4005 METHOD_NOT_ALLOWED 405 and 4029
// TOO_MANY_REQUESTS 429. The token endpoint answers OAuth-style {"error","error_description"}
// (invalid_request, unsupported_grant_type, invalid_scope, invalid_client, invalid_grant).
// An unknown path is 404 and a wrong method 405, in the shape of the path's prefix.
//
// The same server also emulates IDWise's Journey Builder API (package sandbox/idwise) on
// IDWise's paths, /journey/v2/… and /v2/start-journey…, with its HTTP Basic credentials
// idwise-demo / idwise-demo-secret; WithIDWise replaces or (nil) removes it.
//
// # Credentials and tokens
//
// DefaultCredentials (client gbggen-demo / gbggen-demo-secret, user demo / demo) unless
// WithCredentials says otherwise. The password grant needs all four; the client-credentials
// grant needs the client pair and scope gbg.token. Access tokens are opaque and expire after
// WithTokenTTL (default 1 h); every journey call needs one as a Bearer token (401 otherwise,
// checked before the request's body is read).
// device/start returns a single-use connect token (expires after 120 s); device/connect,
// with that token as its Bearer token and in the body, returns an end-user token (an HS256
// JWT) that may call task/update, task/list, task/list/schema and task/schema of its own
// instance only (403 for another instance or another operation). device/connect errors: an
// unknown token 401, a second use 400, an expired token 401, an unknown, deleted or finished
// instance 404, a deviceType outside the token's scope 403 ("*" and "any" allow every type).
// All expiry reads the clock given by WithClock.
//
// # Journeys on disk
//
// WithJourneysDir(DIR) (or WithJourneys(fs.FS)) serves every DIR/<key>/journey.yaml:
//
//	name: Onboarding                 # display name (default: <key>)
//	resourceId: d557…ce96            # 64 lower-case hex digits (default: ResourceIDFor(<key>))
//	variantId: onboarding-kyc        # state data.process.flow.<variantId> (default: <key>)
//	outcome: "Decision: Pass 1+1"    # result outcome of a completed instance (default as shown)
//	versions:                        # in publication order: the last is @latest
//	  - version: "1"                 # letters, digits, . _ - ; pinned as <resourceId>@1
//	    schema: 1/journey.schema.json    # the journey (context) schema, draft-07
//	    tasks:                           # in order; each task's schema is rooted at context
//	      - key: personal-details
//	        name: Personal details
//	        schema: 1/personal-details.schema.json
//
// Paths are relative to DIR/<key>; schema files are JSON or YAML, draft-07 unless they say
// otherwise in $schema, and self-contained (no references to other files). The journey schema
// describes the context {"subject": …}; a task schema describes {"context": {"subject": …}},
// like the schemas GBG's task/schema returns. Keep task schemas open (no additionalProperties:
// false) at the levels they share with other tasks (context, subject, identity), since the
// emulator checks a task against everything collected so far. The built-in set (DemoFS) has
// one journey, "onboarding" (OnboardingResourceID), with tasks personal-details,
// address and document. Publish adds a version at run time.
//
// # Behaviour
//
//   - start: the prefill (context.subject) is checked against the journey schema; values the
//     schema rejects are dropped (and logged), valid ones kept. Every task whose schema the
//     kept data satisfies completes at once; the others stay pending. Without a prefill every
//     task is pending; a journey whose tasks are all satisfied is Completed at once. v1
//     config.async=true defers that evaluation to the next call on the instance. v2 needs
//     context.config.delivery; "page" answers an instanceUrl.
//   - task/list and task/list/schema list the pending tasks (schemas as {"$ref":
//     "#/schemas/<task key>"}); task/schema returns any task's schema by task ID.
//   - task/update: Save stores the data on the task without completing it; Validate checks
//     everything collected plus the stored and sent data against the task schema and stores
//     nothing (400 with violations, or 200); Complete does the same check and, when it passes,
//     keeps the data and completes the task. The data is context.subject, or data.subject /
//     data.context.subject. A finished instance or completed task is 404.
//   - state/fetch: InProgress until every task completes, then Completed with
//     metaData.completedTime and data.process.flow.<variantId>.result.outcome; Failed when a
//     scenario says so (outcome "Decision: Fail"). filterKeys are regular expressions matched
//     against the top-level keys of context and data. state/delete forgets the instance.
//   - v2 interaction/fetch: the current interaction is the first pending task; outstanding
//     lists the refs (such as identity/dateOfBirth) it still lacks. interaction/submit merges
//     context.subject (values the journey schema rejects: HTTP 200 {"status":"error"}, nothing
//     stored) and completes every task now satisfied.
//   - v2 hosted page: the instanceUrl (/journey/<instanceId>) of a "page" journey is an HTML
//     stand-in for GBG's end-user page, served without a token: the status, the task waited
//     for and what it still lacks, and a form whose JSON subject data is merged as
//     interaction/submit merges it (refused values are listed and nothing is stored).
//
// # Scenarios
//
// A request may carry X-Gbg-Scenario: a list of directives separated by "," or ";":
//
//	fail             the instance started (or updated, or submitted to) by this request ends Failed
//	pause            state fetches of that instance report Paused (with no end or outcome);
//	                 pause=N: only its next N state fetches, then its real status again
//	rate-limit       answer 429 with Retry-After; rate-limit=N: only the first N requests
//	                 carrying this exact header value, so a client's retry can succeed
//	unavailable      answer 503 with Retry-After; unavailable=N as above
//	latency=DURATION wait first (Go duration, at most 10s)
//	retry-after=S    the Retry-After seconds of 429 and 503 (default 1)
//	id=TEXT          no effect; makes a header value, and so its counters, unique
//
// For example "rate-limit=2, retry-after=0, id=test-42". An unknown directive is 400, and so
// is a header longer than MaxScenarioBytes. Scenarios act only on authenticated calls (and
// on the token endpoint, which needs no token).
package sandbox
