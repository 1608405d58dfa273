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
// Statuses are compared with Status.Equal, which ignores case and
// underscores: the API documents InProgress and its guides print
// IN_PROGRESS.
//
// # Authentication
//
// With Config.Username set, the client uses the password grant; otherwise the
// client-credentials grant with scope gbg.token. Credentials are sent as form
// fields. The access token is cached, shared by concurrent calls (one fetch
// for all of them), and renewed shortly before it expires. When the server
// answers 401 the client fetches a new token and sends the request once more.
//
// # Retries
//
// A call is retried, with exponential backoff and full jitter or after the
// wait a Retry-After header asks for, only when sending it again cannot do
// harm:
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
// secret, the password or a token: the token endpoint's error body is
// scrubbed before it reaches an *APIError. The Config.Logger receives one
// Debug record per HTTP attempt (operation, method, path, status, duration,
// attempt, request ID) and never headers or bodies.
package gbg
