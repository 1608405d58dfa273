// Package fetch is the command gbgfetch, which "gbggen fetch" runs: it downloads the task
// schemas of a journey version from the GBG GO API into a directory, with a lock file, or
// (-idwise-flow) the step definitions of an IDWise flow into a flow definition file.
//
// It is a command of its own, not code in gbggen, because it is the only one that talks to
// the network: linking net/http, crypto/tls and the API client makes every program start
// slower (package net alone makes the binary dynamically linked), and go generate starts
// gbggen once per directive.
package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gbggen/gbggen/gbg"
	"github.com/gbggen/gbggen/generator"
)

// Exit codes, as every gbggen command has them.
const (
	exitOK    = 0
	exitUsage = 2 // usage or input error, or the API or the file system failed
)

const fetchUsage = `usage: gbggen fetch -resource ID@VERSION [-region eu|us|au | -base-url URL] [-token-url URL] [-timeout D] -out DIR
       gbggen fetch -idwise-flow FLOW_ID … -out FILE.json|DIR (an IDWise flow; -idwise-flow X -h for more)

Downloads the task schemas of a journey version. NOTE: the API has no call that returns them
for a version, so fetch CREATES A JOURNEY INSTANCE ON YOUR TENANT (no prefill, so every task
is pending), reads task/list/schema, and deletes the instance again (state/delete), also when
anything fails or the command is interrupted. Should the delete fail, the instance ID is
printed so that it can be deleted by hand.

Each task schema is written to DIR/<key>.json, <key> being its name in the response
(#/schemas/<key>), in canonical form: keys sorted, two-space indent, final newline. DIR/` + LockFileName + `
records the resource and, for each schema, its file and the sha256 of its canonical compact
JSON. Files are written whole (temp file + rename) and only when everything succeeded;
schema files that the previous lock listed and the journey no longer has are removed.

Credentials come from the environment, never from flags: GBG_CLIENT_ID and GBG_CLIENT_SECRET,
plus GBG_USERNAME and GBG_PASSWORD for the password grant (client credentials without them).
They are never printed, nor is any token, also when a server quotes them back (every error
is scrubbed of them). GBG_BASE_URL and GBG_TOKEN_URL, when set, stand in for -base-url
(unless -region is given) and -token-url.

The credentials go to -token-url. Without it, -base-url (or GBG_BASE_URL) implies
<base-url>/as/token.oauth2, where the gbggen emulator serves its token endpoint, so that
credentials meant for a test server never reach GBG's; otherwise it is
` + gbg.DefaultTokenURL + `. A redirect to another origin is refused.

Exit status: 0 written, 2 bad usage, or the API or the file system failed (nothing written).
`

// LockFileName is the lock file fetch writes next to the schemas.
const LockFileName = "gbggen.lock.json"

// Lock is the content of the lock file.
type Lock struct {
	// LockVersion is the format of this file; 1 is the only one.
	LockVersion int `json:"lockVersion"`
	// ResourceID is the journey version fetched, as given to -resource.
	ResourceID string `json:"resourceId"`
	// Schemas maps each schema key to its file and digest.
	Schemas map[string]LockedSchema `json:"schemas"`
}

// LockedSchema is the entry of one schema in the lock file.
type LockedSchema struct {
	// File is the schema file, relative to the lock file.
	File string `json:"file"`
	// SHA256 is the hex sha256 digest of the schema's canonical compact JSON (keys sorted,
	// no insignificant white space), so it does not change when only formatting does.
	SHA256 string `json:"sha256"`
}

// fetchedSchema is one task schema as fetched.
type fetchedSchema struct {
	key    string
	pretty []byte // canonical, indented: the file content
	sum    string // sha256 of the canonical compact form
}

// Main runs fetch with args (the command line without the program name), its credentials and
// URLs from the environment, and returns the exit status: 0 written, 2 otherwise. It deletes
// the journey instance it creates also when SIGINT or SIGTERM arrives.
func Main(args []string, stdout, stderr io.Writer) int {
	return Run(args, os.Getenv, stdout, stderr)
}

// Run is Main reading the environment with getenv.
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if isIDWise(args) {
		return runIDWise(args, getenv, stdout, stderr)
	}
	fset := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, fetchUsage) }
	resource := fset.String("resource", "", "journey resource ID with its version: ID@VERSION")
	region := fset.String("region", "eu", "GBG GO region: eu, us or au")
	baseURL := fset.String("base-url", "", "platform URL instead of the region's, e.g. an emulator's")
	tokenURL := fset.String("token-url", "", "OAuth 2 token endpoint (default <base-url>"+gbg.TokenPath+" with -base-url, else "+gbg.DefaultTokenURL+")")
	outDir := fset.String("out", "", "directory to write the schemas and "+LockFileName+" to")
	timeout := fset.Duration("timeout", 2*time.Minute, "give up after this long (the instance is still deleted)")
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "gbggen fetch: unexpected argument %q\n", fset.Arg(0))
		return exitUsage
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	// GBG_BASE_URL and GBG_TOKEN_URL (not secrets) stand in for flags not given; an explicit
	// -region overrides GBG_BASE_URL.
	if !set["base-url"] && !set["region"] {
		*baseURL = getenv("GBG_BASE_URL")
	}
	if !set["token-url"] {
		*tokenURL = getenv("GBG_TOKEN_URL")
	}
	id, version, ok := strings.Cut(*resource, "@")
	switch {
	case *resource == "":
		fmt.Fprint(stderr, "gbggen fetch: -resource is required\n\n"+fetchUsage)
		return exitUsage
	case !ok || id == "" || version == "":
		fmt.Fprintf(stderr, "gbggen fetch: -resource %q: want ID@VERSION, e.g. …@latest or …@3\n", *resource)
		return exitUsage
	case *outDir == "":
		fmt.Fprint(stderr, "gbggen fetch: -out is required\n\n"+fetchUsage)
		return exitUsage
	case set["region"] && set["base-url"]:
		fmt.Fprintln(stderr, "gbggen fetch: give -region or -base-url, not both")
		return exitUsage
	case *timeout <= 0:
		fmt.Fprintln(stderr, "gbggen fetch: -timeout must be positive")
		return exitUsage
	}
	cfg := gbg.Config{
		Region: gbg.Region(*region), BaseURL: *baseURL, TokenURL: *tokenURL,
		ClientID: getenv("GBG_CLIENT_ID"), ClientSecret: getenv("GBG_CLIENT_SECRET"),
		Username: getenv("GBG_USERNAME"), Password: getenv("GBG_PASSWORD"),
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		fmt.Fprintln(stderr, "gbggen fetch: set GBG_CLIENT_ID and GBG_CLIENT_SECRET (and GBG_USERNAME and GBG_PASSWORD for the password grant)")
		return exitUsage
	}
	if cfg.Username != "" && cfg.Password == "" {
		fmt.Fprintln(stderr, "gbggen fetch: GBG_USERNAME is set but GBG_PASSWORD is not")
		return exitUsage
	}
	client, err := gbg.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen fetch: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	fmt.Fprintf(stderr, "gbggen fetch: creating an instance of journey %s on %s (credentials to %s) to read its task schemas; it is deleted afterwards\n",
		*resource, client.BaseURL(), client.TokenURL())
	schemas, err := fetchTaskSchemas(ctx, client, *resource, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen fetch: %v\nnothing written\n", err)
		return exitUsage
	}
	written, removed, err := writeFetched(*outDir, *resource, schemas)
	if err != nil && len(written) == 0 {
		fmt.Fprintf(stderr, "gbggen fetch: %v\nnothing written\n", err)
		return exitUsage
	}
	for _, p := range written {
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	for _, p := range removed {
		fmt.Fprintf(stdout, "removed %s (no longer in the journey)\n", p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gbggen fetch: removing a schema the journey no longer has: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// fetchTaskSchemas starts an instance of resource without prefill, reads the schemas of its
// tasks and deletes it, whatever happens in between.
func fetchTaskSchemas(ctx context.Context, client *gbg.Client, resource string, log io.Writer) (_ []fetchedSchema, err error) {
	inst, err := client.StartJourney(ctx, resource, map[string]any{"subject": map[string]any{}})
	if err != nil {
		return nil, fmt.Errorf("starting an instance of %s: %w", resource, err)
	}
	id := inst.InstanceID
	fmt.Fprintf(log, "gbggen fetch: created instance %s\n", id)
	defer func() {
		// The deletion outlives a cancelled or timed-out ctx.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if derr := client.DeleteInstance(dctx, id); derr != nil {
			err = errors.Join(err, fmt.Errorf("deleting instance %s failed, delete it by hand (state/delete): %w", id, derr))
			return
		}
		fmt.Fprintf(log, "gbggen fetch: deleted instance %s\n", id)
	}()
	list, err := client.TaskSchemas(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("reading the task schemas of instance %s: %w", id, err)
	}
	return schemasOf(list)
}

// schemasOf names the schemas of a task/list/schema response by TaskSchemaList.Key: their
// keys (the <key> of "#/schemas/<key>"), task-<n> for a schema given inline.
func schemasOf(list *gbg.TaskSchemaList) ([]fetchedSchema, error) {
	byKey := map[string]json.RawMessage{}
	for i, id := range list.TaskIDs {
		byKey[list.Key(i)] = list.Schemas[id]
	}
	if len(byKey) == 0 {
		return nil, fmt.Errorf("the instance has no pending task (status %q), so there is no task schema to fetch", list.Status)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	files := map[string]string{}
	var out []fetchedSchema
	for _, k := range keys {
		name := schemaFileName(k)
		if prev, dup := files[name]; dup || name == LockFileName {
			return nil, fmt.Errorf("schemas %q and %q would both be written to %s", prev, k, name)
		}
		files[name] = k
		pretty, compact, err := canonicalJSON(byKey[k])
		if err != nil {
			return nil, fmt.Errorf("schema %q: %w", k, err)
		}
		sum := sha256.Sum256(compact)
		out = append(out, fetchedSchema{key: k, pretty: pretty, sum: hex.EncodeToString(sum[:])})
	}
	return out, nil
}

// schemaFileName names the file of a schema key: <key>.json, with every character other than
// letters, digits, '-', '_' and '.' (and a leading '.') replaced by '_', so that a key can
// never name a path outside the directory.
func schemaFileName(key string) string {
	b := []byte(key)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0
		if !ok {
			b[i] = '_'
		}
	}
	return string(b) + ".json"
}

// canonicalJSON returns doc with object keys sorted, numbers as written, no HTML escaping:
// indented by two spaces with a final newline, and compact.
func canonicalJSON(doc []byte) (pretty, compact []byte, err error) {
	if compact, err = gbg.CanonicalJSON(doc); err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		return nil, nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), compact, nil
}

// writeFetched writes the schemas and the lock file into dir, all or nothing, then removes
// the schema files the previous lock listed that are no longer fetched. An error with nothing
// written means nothing changed.
func writeFetched(dir, resource string, schemas []fetchedSchema) (written, removed []string, err error) {
	lock := Lock{LockVersion: 1, ResourceID: resource, Schemas: map[string]LockedSchema{}}
	var files []generator.File
	keep := map[string]bool{LockFileName: true}
	for _, s := range schemas {
		name := schemaFileName(s.key)
		keep[name] = true
		lock.Schemas[s.key] = LockedSchema{File: name, SHA256: s.sum}
		files = append(files, generator.File{Path: filepath.Join(dir, name), Content: s.pretty})
	}
	lockJSON, err := json.MarshalIndent(lock, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	lockPath := filepath.Join(dir, LockFileName)
	old, err := readLock(lockPath)
	if err != nil {
		return nil, nil, err
	}
	files = append(files, generator.File{Path: lockPath, Content: append(lockJSON, '\n')})
	if err := generator.WriteFiles(files); err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		written = append(written, f.Path)
	}
	if old != nil {
		var gone []string
		for _, s := range old.Schemas {
			// Only plain names in dir, as fetch writes them: a lock file edited by hand
			// cannot make fetch delete anything else.
			if !keep[s.File] && s.File == filepath.Base(s.File) && schemaFileName(strings.TrimSuffix(s.File, ".json")) == s.File {
				gone = append(gone, s.File)
			}
		}
		sort.Strings(gone)
		for _, name := range gone {
			p := filepath.Join(dir, name)
			if err := os.Remove(p); err == nil {
				removed = append(removed, p)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return written, removed, err
			}
		}
	}
	return written, removed, nil
}

// readLock reads a lock file; a missing one is nil.
func readLock(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it to fetch afresh)", path, err)
	}
	return &l, nil
}
