// Package idwise is a client for IDWise's backend-to-backend Journey Builder
// API, and an http.Handler for its webhooks.
//
// A Client authenticates with HTTP Basic (API key and secret), talks to one
// of IDWise's regional hosts, retries what can safely be retried, and turns
// every refusal into an *APIError:
//
//	client, err := idwise.New(idwise.Config{
//		Region:    idwise.EU,
//		APIKey:    os.Getenv("IDWISE_API_KEY"),
//		APISecret: os.Getenv("IDWISE_API_SECRET"),
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	j, err := client.StartJourney(ctx, idwise.StartRequest{FlowID: flowID, ReferenceNo: "applicant-001"})
//	for _, step := range j.Steps {
//		err = client.ProcessStep(ctx, j.JourneyID, step.Definition.StepID, idwise.ImageBytes(front), idwise.Image{})
//		_, err = client.WaitForSummary(ctx, j.JourneyID, idwise.UntilStepProcessed(step.Definition.StepID))
//	}
//	err = client.CompleteJourney(ctx, j.JourneyID)
//	result, err := client.Result(ctx, j.JourneyID)
//
// # Journeys
//
// StartJourney starts a journey of a flow and returns the flow's steps (ID,
// Document or Selfie, title); submit images only for those step IDs, which
// differ between flows (gbggen generates them as constants per flow).
// ProcessStep uploads a step's image and optional second image; processing
// is asynchronous, so wait with WaitForSummary before the next step.
// CompleteJourney ends the journey and triggers the decision; Result returns
// it, with the documents by step, extracted fields, rule results, selfie and
// AML screening. DeleteJourney removes the journey's personal data.
//
// IDWise sends step IDs as numbers or strings: StepID holds either. Decisions,
// step types, statuses and rule outcomes are open sets: the constants name the
// known values, and any other string decodes.
//
// # Paths
//
// IDWise's API reference prints the Journey Builder paths under /journey/v2
// (POST /journey/v2/start-journey), its guide under /v2. Config.PathPrefix
// chooses; the default is DefaultPathPrefix. DeleteJourney's path,
// /journey/{id}, has no prefix.
//
// # Polling
//
// IDWise asks that a journey's summary be requested no more often than every
// 2 seconds. A Client never sends two summary requests for one journey less
// than MinPollInterval apart: Summary waits for the rest of the interval
// when it must, WaitForSummary polls every MinPollInterval at most often,
// and retries of the summary wait at least as long.
//
// # Retries
//
// A call is retried, with exponential backoff and full jitter or after the
// wait a Retry-After header asks for, only when sending it again cannot do
// harm:
//
//   - Summary, Result and DeleteJourney are retried after a connection error
//     (one that cuts a success short included) and on 429, 500, 502, 503
//     and 504.
//   - StartJourney, ProcessStep, SkipStep and CompleteJourney are retried
//     only when the request certainly did not reach the server: the name
//     could not be resolved or the connection could not be made. After a
//     timeout, a lost connection or any status they return the error, since
//     IDWise may have acted on the request: look at Summary before trying
//     again.
//
// A Retry-After longer than RetryPolicy.MaxRetryAfter ends the call with the
// *APIError (whose RetryAfter says how long); a wait that would end after the
// context's deadline is not begun.
//
// # Errors
//
// A response other than 2xx, or a 2xx whose body is {"success": false, …},
// becomes an *APIError with the HTTP status and IDWise's error_code and
// message. ErrorCode is an error, so errors.Is(err, CodeInvalidCredentials)
// works on anything a call returns.
//
// # Redirects and limits
//
// Redirects are followed only within the origin (scheme, host and port) of
// the request: every request carries the API key and secret, which net/http
// would send on to the same host name on another port or over plain http. A
// redirect to another origin ends the call with a *RedirectError, which is
// not retried. A Config.HTTPClient's own CheckRedirect is asked after that.
//
// A success body is read up to Config.MaxResponseBytes (16 MiB by default):
// a longer one is an error wrapping ErrResponseTooLarge and naming the
// limit, and is read no further. An error keeps the first 64 KiB of an error
// body (read up to 80 KiB and scrubbed of secrets before it is cut).
//
// # Webhooks
//
// WebhookHandler serves IDWise's Finished Journey and Updated Journey
// webhooks: it checks the configured credentials (Basic, Bearer or a custom
// header) in constant time, bounds the body, parses the event, drops retries
// of an event it has handled (by eventId, remembering a bounded number), and
// calls your function.
//
// # Secrets
//
// Config, Client and WebhookAuth never print credentials with fmt or
// log/slog. Errors and log records never contain the API key, the secret or
// the Authorization header, in any form a server may quote them in
// (verbatim, JSON, URL-encoded, base64). The Config.Logger receives one Debug record per HTTP
// attempt (operation, method, path, status, duration, attempt) and never
// headers or bodies.
package idwise
