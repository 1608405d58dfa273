package sandbox_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generated"
)

// page requests the hosted page at path (GET, or POST of the subject form field) without
// following redirects, and returns the answer and its body.
func (e *env) page(method, path, subject string) (*http.Response, string) {
	e.t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(url.Values{"subject": {subject}}.Encode())
	}
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	c := *e.ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestHostedPage: the instanceUrl of a hosted journey is a page that shows what the journey
// waits for and takes the end user's data, with the rules of interaction/submit: refused
// data is reported and not stored, accepted data completes the tasks it satisfies.
func TestHostedPage(t *testing.T) {
	e := newEnv(t)
	started := e.startV2(generated.Page, subjectWith(map[string]any{"firstName": "Ada"}))
	path := *started.InstanceURL

	res, body := e.page(http.MethodGet, path, "")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{"Onboarding", `id="status">InProgress<`, `id="task">Personal details<`,
		"<code>identity/dateOfBirth</code>", "<code>identity/lastNames</code>", `&#34;dateOfBirth&#34;: &#34;&#34;`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}

	// Refused: not JSON, or a value the journey schema rejects. Nothing is stored, and the
	// text comes back for correction.
	res, body = e.page(http.MethodPost, path, `{"identity":`)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "subject must be a JSON object") {
		t.Errorf("malformed JSON: %d\n%s", res.StatusCode, body)
	}
	res, body = e.page(http.MethodPost, path, `{"identity":{"dateOfBirth":"yesterday"}}`)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "/subject/identity/dateOfBirth") ||
		!strings.Contains(body, "yesterday") {
		t.Errorf("invalid date: %d\n%s", res.StatusCode, body)
	}
	if got := *e.interaction(started.InstanceID).Outstanding; len(got) != 2 {
		t.Errorf("outstanding after refused submissions: %v, want 2 refs", got)
	}

	// Accepted: post/redirect/get, and the next task is shown.
	res, _ = e.page(http.MethodPost, path, `{"identity":{"dateOfBirth":"1815-12-10","lastNames":["Lovelace"]}}`)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("accepted submission: %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body = e.page(http.MethodGet, path, ""); !strings.Contains(body, `id="task">Address<`) {
		t.Errorf("after personal details, page shows:\n%s", body)
	}
	e.page(http.MethodPost, path, `{"identity":{"currentAddress":{"postalCode":"SW1Y 4JH","country":"GBR"}}}`)
	e.page(http.MethodPost, path, `{"documents":[{"type":"Passport","side1Image":"aGVsbG8="}]}`)

	if st := e.stateV2(started.InstanceID); st.Status != "Completed" || *st.Context.Subject.Identity.FirstName != "Ada" {
		t.Fatalf("state after the hosted page: %s %+v", st.Status, st.Context.Subject)
	}
	if _, body = e.page(http.MethodGet, path, ""); !strings.Contains(body, `id="status">Completed<`) || !strings.Contains(body, `id="done"`) {
		t.Errorf("finished journey page:\n%s", body)
	}
	if res, _ = e.page(http.MethodPost, path, `{}`); res.StatusCode != http.StatusConflict {
		t.Errorf("submission to a finished journey: %d, want 409", res.StatusCode)
	}
}

// TestHostedPageOnlyForHostedJourneys: an API-first instance, an unknown ID and other
// methods have no page.
func TestHostedPageOnlyForHostedJourneys(t *testing.T) {
	e := newEnv(t)
	api := e.startV2(generated.API, nil)
	if res, _ := e.page(http.MethodGet, "/journey/"+api.InstanceID, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("page of an API-first journey: %d, want 404", res.StatusCode)
	}
	if res, _ := e.page(http.MethodGet, "/journey/"+strings.Repeat("0", 32), ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("page of an unknown instance: %d, want 404", res.StatusCode)
	}
	hosted := e.startV2(generated.Page, nil)
	if res, _ := e.page(http.MethodDelete, *hosted.InstanceURL, ""); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d, want 405", res.StatusCode)
	}
	// The page is served without a token, and (v1) state/delete ends it.
	if res, body := e.post("/captain/api/journey/state/delete", `{"instanceId":"`+hosted.InstanceID+`"}`); res.StatusCode >= 300 {
		t.Fatalf("state/delete: %d %v", res.StatusCode, body)
	}
	if res, _ := e.page(http.MethodGet, *hosted.InstanceURL, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("page after state/delete: %d, want 404", res.StatusCode)
	}
}
