package sandbox

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
)

// hostedPrefix is where the instanceUrl of a hosted (config.delivery "page") v2 journey
// points. GBG serves the end user's pages there; the emulator serves a plain stand-in: the
// journey's state, the task it waits for and what that task still lacks, and a form that
// submits subject data as interaction/submit does. It needs no token, as the real page needs
// none from the backend: the URL is what the end user is given.
const hostedPrefix = "/journey/"

// hostedID returns the instance ID of a hosted page path.
func hostedID(path string) (string, bool) {
	id, ok := strings.CutPrefix(path, hostedPrefix)
	return id, ok && id != "" && !strings.Contains(id, "/")
}

// hostedPage is what the page template shows.
type hostedPage struct {
	Journey, Version, Status string
	Task                     string   // name of the task waited for; empty when finished
	Outstanding              []string // what that task lacks, as interaction refs
	Subject                  string   // the textarea's JSON
	Problems                 []string // why the last submission was refused
}

var hostedTemplate = template.Must(template.New("hosted").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Journey}}: GBG GO emulator</title></head>
<body>
<h1>{{.Journey}}</h1>
<p>Version {{.Version}}. Status: <strong id="status">{{.Status}}</strong>.</p>
<p><small>This is the gbggen emulator's stand-in for GBG's hosted journey page.</small></p>
{{if .Task}}<h2 id="task">{{.Task}}</h2>
{{if .Outstanding}}<p>Still needed:</p>
<ul id="outstanding">{{range .Outstanding}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
{{if .Problems}}<p>Not accepted; nothing was stored:</p>
<ul id="problems">{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
<form method="post">
<p><label for="subject">Subject data (JSON, merged into what the journey has):</label></p>
<textarea id="subject" name="subject" rows="16" cols="80">{{.Subject}}</textarea>
<p><button type="submit">Submit</button></p>
</form>
{{else}}<p id="done">The journey has ended; you can close this page.</p>{{end}}
</body>
</html>
`))

// serveHosted answers GET (the page) and POST (a submission, then back to the page) for the
// hosted page of instance id.
func (s *Server) serveHosted(w http.ResponseWriter, r *http.Request, id string) error {
	in, err := (&handlers{s}).lookup(r.Context(), id)
	if err != nil {
		return err
	}
	defer in.mu.Unlock()
	if in.api != 2 || in.delivery != "page" {
		return errorf(http.StatusNotFound, "no hosted journey instance %s", id)
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return renderHosted(w, http.StatusOK, in, "", nil)
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		return errorf(http.StatusMethodNotAllowed, "%s %s: method not allowed", r.Method, r.URL.Path)
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxBodyBytes) // the instance ID is the page's only key
	if err := r.ParseForm(); err != nil {
		return validationError(r.URL.Path, err)
	}
	if current(in) == nil {
		return renderHosted(w, http.StatusConflict, in, "", []string{"the journey has ended"})
	}
	text := r.PostForm.Get("subject")
	var patch map[string]any
	if err := json.Unmarshal([]byte(text), &patch); err != nil || patch == nil {
		return renderHosted(w, http.StatusUnprocessableEntity, in, text, []string{"subject must be a JSON object"})
	}
	if bad := in.submit(patch); len(bad) > 0 {
		s.cfg.log.Info("hosted submission refused", "instance", in.id, "problems", len(bad))
		return renderHosted(w, http.StatusUnprocessableEntity, in, text, bad)
	}
	in.settle(s.cfg.now())
	// Post/redirect/get: reloading the page does not submit again.
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	return nil
}

// renderHosted writes the page for in with status code. subject is the textarea's text;
// empty means a skeleton of what the current task lacks. Call with in.mu held.
func renderHosted(w http.ResponseWriter, code int, in *instance, subject string, problems []string) error {
	p := hostedPage{Journey: in.version.journey.name, Version: in.version.version, Status: in.status(),
		Subject: subject, Problems: problems}
	if t := current(in); t != nil {
		p.Task, p.Outstanding = t.def.name, outstandingRefs(in, t)
		if p.Subject == "" {
			p.Subject = skeleton(p.Outstanding)
		}
	}
	var buf bytes.Buffer
	if err := hostedTemplate.Execute(&buf, p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, err := w.Write(buf.Bytes())
	return err
}

// skeleton is a JSON object with an empty string at each ref ("identity/firstName" becomes
// {"identity": {"firstName": ""}}), for the end user to fill in.
func skeleton(refs []string) string {
	root := map[string]any{}
	for _, r := range refs {
		m := root
		parts := strings.Split(r, "/")
		for _, k := range parts[:len(parts)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		if _, ok := m[parts[len(parts)-1]]; !ok {
			m[parts[len(parts)-1]] = ""
		}
	}
	b, _ := json.MarshalIndent(root, "", "  ") // maps of strings always marshal
	return string(b)
}
