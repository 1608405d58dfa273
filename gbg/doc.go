// Package gbg is a client for the GBG GO identity-verification journey API.
//
// A Client authenticates with OAuth 2, talks to one of GBG's regional
// platforms, retries what can safely be retried, and turns every refusal into
// an *APIError:
//
//	client, err := gbg.New(gbg.Config{
//		Region:       gbg.EU,
//		ClientID:     os.Getenv("GBG_CLIENT_ID"),
//		ClientSecret: os.Getenv("GBG_CLIENT_SECRET"),
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	inst, err := client.StartJourney(ctx, resourceID, prefill)
//	if err != nil {
//		log.Fatal(err)
//	}
//	state, err := client.WaitForCompletion(ctx, inst.InstanceID)
//
// # Journeys
//
// The v1 task API starts an instance (StartJourney), lists its pending tasks
// (ListTasks), gives the JSON Schema of each (TaskSchema, TaskSchemas),
// accepts task data (UpdateTask) and reports the state (FetchState,
// WaitForCompletion). The v2 API starts hosted or API-first journeys
// (StartJourneyV2), reports their state (FetchStateV2, WaitForCompletionV2)
// and, for API-first journeys, exchanges interactions (FetchInteraction,
// SubmitInteraction). StartDevice and ConnectDevice hand an instance to the
// end user's device, which then calls UpdateTask through a DeviceClient.
// API returns the generated client for anything else.
//
// GBG does not reject a prefill that is incomplete or wrong: each missing or
// invalid required field becomes a task someone completes by hand. The types
// gbggen generates from a journey's schema check a prefill before it is sent.
//
// A journey republished since the code was generated may have other task
// schemas. CheckTaskSchemas (the generated Check<Journey>Schemas) compares a
// running instance's task schemas with the digests the code holds
// (SchemaDigest: the sha256 of the canonical form) and reports each task that
// differs as a SchemaDrift.
//
// Statuses are compared with Status.Equal, which ignores case and
// underscores: the API documents InProgress and its guides print
// IN_PROGRESS.
//
// # Authentication
//
// With Config.Username set, the client uses the password grant; otherwise the
// client-credentials grant with scope gbg.token. Credentials are sent as form
// fields to Config.TokenURL. When that is empty and Config.BaseURL is set
// (to an emulator, say), the token URL is derived from the base URL:
// BaseURL + TokenPath, which is where the gbggen emulator serves it, so that
// credentials meant for a test server never reach GBG's authentication host.
// Without BaseURL, or with BaseURL set to a region's platform URL, it is
// DefaultTokenURL. Client.TokenURL says which one a client uses. The access token is cached, shared by concurrent calls (one fetch
// for all of them), and renewed shortly before it expires. When the server
// answers 401 the client fetches a new token and sends the request once more.
//
// # Retries
//
// A call is retried, with exponential backoff and full jitter or after the
// wait a Retry-After header asks for (delay seconds or an HTTP date; more
// than a day counts as a day), only when sending it again cannot do harm:
//
//   - Reading calls (ListTasks, TaskSchema, TaskSchemas, FetchState,
//     FetchStateV2, FetchInteraction, Health) are retried after a connection
//     error (one that cuts a success short included) and on 429, 502, 503
//     and 504.
//   - Calls that change something (StartJourney, StartJourneyV2, UpdateTask,
//     SubmitInteraction, StartDevice, ConnectDevice, DeleteInstance) are
//     retried only when the request certainly was not processed: the
//     connection could not be made, or the server answered 429 (a rate limit
//     refuses a request before it is processed). After a timeout, a lost
//     connection or a 5xx they return the error, since the server may have
//     acted on the request: check with FetchState or ListTasks before trying
//     again.
//   - A 401 is followed by one new token and one more attempt, for every
//     call, since authentication precedes processing.
//
// A wait that would end after the context's deadline is not begun: the call
// returns at once with the error it has (the *APIError of the 429 or 5xx, or
// the connection error) rather than a context error at the deadline.
//
// RetryPolicy sets the number of attempts and the delays.
//
// # Errors
//
// A response other than 200 or 201 becomes an *APIError with the HTTP status,
// the X-Request-ID header, and the fields of whichever error body GBG sent:
// the v2 list of ErrorDetail (code, name, location, problem, action) or the
// v1 status, message and error. A failed token request is an *APIError with
// Op "GetToken". Use errors.As to inspect one.
//
// # Secrets
//
// Config, Client, DeviceClient and ConnectToken redact credentials and
// tokens when printed with fmt or log/slog. Errors never contain the client
// secret, the password or a token, even when the server echoes them: every
// field of an *APIError (Message, ErrorText, Details, Violations, RequestID,
// Body), the message of a transport error and the request ID of a log
// record are scrubbed of the secrets and of the tokens learned at run time
// (access, connect and end-user tokens; the 32 most recent, and in any case
// the one the request carried), in each form a server may echo them in:
// verbatim, as JSON string content, URL-encoded as a query value or a path
// segment (upper- or lower-case hex), and base64 in the standard or URL
// alphabet, padded or not, also inside a longer encoded text such as a
// Basic header. The Config.Logger receives one Debug record per HTTP
// attempt (operation, method, path, status, duration, attempt, request ID)
// and never headers or bodies.
//
// Redirects are followed only within the origin (scheme, host and port) of
// the request: every request carries credentials, the bearer token or the
// token request's form, and a 307 or 308 would send them again. A redirect
// to another origin ends the call with a *RedirectError, which is not
// retried. A Config.HTTPClient's own CheckRedirect is asked after that.
//
// # Limits
//
// A response body is read up to Config.MaxResponseBytes (16 MiB by
// default): a longer success body is an error wrapping ErrResponseTooLarge
// and naming the limit, and is read no further. An error keeps the first
// 64 KiB of an error body (read up to 80 KiB and scrubbed of secrets
// before it is cut). The token endpoint's answers are read up to 1 MiB
// (by golang.org/x/oauth2).
package gbg
