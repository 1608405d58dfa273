package sandbox

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gbggen/gbggen/internal/yamljson"
)

//go:embed demo
var demoFS embed.FS

// DemoFS returns the built-in demo journey set (the journeys served when no directory is
// given), in the on-disk format described in the package documentation.
func DemoFS() fs.FS {
	sub, err := fs.Sub(demoFS, "demo")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// OnboardingResourceID is the resource ID (without a version) of the built-in demo journey
// "onboarding". Start it with OnboardingResourceID+"@latest".
const OnboardingResourceID = "d55783ba43f3ead08062ffd01b25791cf8250bb515400510c537fd4ac2e0ce96"

// JourneyFile is the content of DIR/<journey>/journey.yaml.
type JourneyFile struct {
	// Name is the journey's display name (v2 state reports it); defaults to the directory name.
	Name string `json:"name,omitempty"`
	// ResourceID is 64 lower-case hex digits. Defaults to ResourceIDFor(directory name).
	ResourceID string `json:"resourceId,omitempty"`
	// VariantID keys the result under data.process.flow.<variantId>; defaults to the directory name.
	VariantID string `json:"variantId,omitempty"`
	// Outcome is the result outcome of a completed instance; defaults to "Decision: Pass 1+1".
	Outcome string `json:"outcome,omitempty"`
	// Versions in publication order: the last one is what @latest resolves to.
	Versions []VersionFile `json:"versions"`
}

// VersionFile is one published version in journey.yaml. Paths are relative to the journey's
// directory; schema files may be JSON or YAML.
type VersionFile struct {
	Version string     `json:"version"`
	Schema  string     `json:"schema"`
	Tasks   []TaskFile `json:"tasks"`
}

// TaskFile is one task of a version in journey.yaml.
type TaskFile struct {
	Key    string `json:"key"`
	Name   string `json:"name,omitempty"`
	Schema string `json:"schema"`
}

// Version is a journey version to Publish: the journey (context) schema and the task schemas,
// all draft-07 JSON Schema documents (JSON or YAML), task schemas rooted at "context".
type Version struct {
	Version string
	Schema  []byte
	Tasks   []Task
}

// Task is one task of a Version.
type Task struct {
	Key    string
	Name   string
	Schema []byte
}

// JourneyInfo describes a served journey.
type JourneyInfo struct {
	Key        string   // directory name
	Name       string   // display name
	ResourceID string   // 64 hex digits, no version
	Versions   []string // in publication order; the last is @latest
}

// ResourceIDFor is the default resource ID of a journey directory without a resourceId.
func ResourceIDFor(key string) string {
	sum := sha256.Sum256([]byte("gbggen demo journey " + key))
	return hex.EncodeToString(sum[:])
}

type journeyDef struct {
	key, name, resourceID, variantID, outcome string
	versions                                  []*versionDef
}

type versionDef struct {
	journey *journeyDef
	version string
	schema  *schema
	tasks   []*taskDef
}

type taskDef struct {
	key, name string
	schema    *schema
	// refs are the required leaves of the task schema under context.subject, such as
	// "identity/firstName": what the task collects (v2 interaction.collects).
	refs []string
}

var (
	hex64      = regexp.MustCompile(`^[0-9a-f]{64}$`)
	versionRe  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	taskKeyRe  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	journeyKey = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
)

// catalog holds the journeys; safe for concurrent use.
type catalog struct {
	mu         sync.RWMutex
	byKey      map[string]*journeyDef
	byResource map[string]*journeyDef
}

func loadCatalog(fsys fs.FS) (*catalog, error) {
	c := &catalog{byKey: map[string]*journeyDef{}, byResource: map[string]*journeyDef{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("journeys: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		file := path.Join(e.Name(), "journey.yaml")
		raw, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("journeys: %w", err)
		}
		j, err := loadJourney(fsys, e.Name(), raw)
		if err != nil {
			return nil, err
		}
		if err := c.add(j); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	if len(c.byKey) == 0 {
		return nil, errors.New("journeys: no DIR/<journey>/journey.yaml found")
	}
	return c, nil
}

func loadJourney(fsys fs.FS, key string, raw []byte) (*journeyDef, error) {
	file := path.Join(key, "journey.yaml")
	var jf JourneyFile
	if err := yamljson.UnmarshalStrict(raw, &jf); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	j, err := newJourney(key, jf.Name, jf.ResourceID, jf.VariantID, jf.Outcome)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(jf.Versions) == 0 {
		return nil, fmt.Errorf("%s: no versions", file)
	}
	for i, vf := range jf.Versions {
		v := Version{Version: vf.Version}
		read := func(rel, what string) ([]byte, error) {
			if rel == "" {
				return nil, fmt.Errorf("%s: versions[%d]: %s: no schema file", file, i, what)
			}
			b, err := fs.ReadFile(fsys, path.Join(key, rel))
			if err != nil {
				return nil, fmt.Errorf("%s: versions[%d]: %s: %w", file, i, what, err)
			}
			return b, nil
		}
		if v.Schema, err = read(vf.Schema, "schema"); err != nil {
			return nil, err
		}
		for k, tf := range vf.Tasks {
			b, err := read(tf.Schema, fmt.Sprintf("tasks[%d]", k))
			if err != nil {
				return nil, err
			}
			v.Tasks = append(v.Tasks, Task{Key: tf.Key, Name: tf.Name, Schema: b})
		}
		vd, err := compileVersion(j, v)
		if err != nil {
			return nil, fmt.Errorf("%s: versions[%d]: %w", file, i, err)
		}
		if j.version(vd.version) != nil {
			return nil, fmt.Errorf("%s: versions[%d]: version %q published twice", file, i, vd.version)
		}
		j.versions = append(j.versions, vd)
	}
	return j, nil
}

func newJourney(key, name, resourceID, variantID, outcome string) (*journeyDef, error) {
	if !journeyKey.MatchString(key) {
		return nil, fmt.Errorf("journey key %q: use letters, digits, '.', '_' or '-'", key)
	}
	j := &journeyDef{key: key, name: name, resourceID: resourceID, variantID: variantID, outcome: outcome}
	if j.name == "" {
		j.name = key
	}
	if j.resourceID == "" {
		j.resourceID = ResourceIDFor(key)
	}
	if !hex64.MatchString(j.resourceID) {
		return nil, fmt.Errorf("resourceId %q: want 64 lower-case hex digits", j.resourceID)
	}
	if j.variantID == "" {
		j.variantID = key
	}
	if j.outcome == "" {
		j.outcome = "Decision: Pass 1+1"
	}
	return j, nil
}

func compileVersion(j *journeyDef, v Version) (*versionDef, error) {
	if v.Version == "latest" || !versionRe.MatchString(v.Version) {
		return nil, fmt.Errorf("version %q: use letters, digits, '.', '_' or '-' (and not \"latest\")", v.Version)
	}
	base := j.key + "/" + v.Version
	vd := &versionDef{journey: j, version: v.Version}
	js, err := yamljson.Convert(v.Schema)
	if err != nil {
		return nil, fmt.Errorf("journey schema: %w", err)
	}
	if vd.schema, err = compileSchema(base+"/journey.schema.json", js); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, t := range v.Tasks {
		if !taskKeyRe.MatchString(t.Key) || seen[t.Key] {
			return nil, fmt.Errorf("tasks[%d]: key %q is empty, malformed or repeated", i, t.Key)
		}
		seen[t.Key] = true
		ts, err := yamljson.Convert(t.Schema)
		if err != nil {
			return nil, fmt.Errorf("tasks[%d] %s: %w", i, t.Key, err)
		}
		td := &taskDef{key: t.Key, name: t.Name}
		if td.name == "" {
			td.name = t.Key
		}
		if td.schema, err = compileSchema(base+"/tasks/"+t.Key+".schema.json", ts); err != nil {
			return nil, err
		}
		if dig(td.schema.doc, "properties", "context") == nil {
			return nil, fmt.Errorf("tasks[%d] %s: a task schema is rooted at context: want properties.context", i, t.Key)
		}
		td.refs = requiredRefs(td.schema.doc)
		vd.tasks = append(vd.tasks, td)
	}
	return vd, nil
}

// requiredRefs lists the required leaves of a task schema below context.subject, as
// slash-separated refs ("identity/currentAddress/postalCode"); array items add no index.
func requiredRefs(doc map[string]any) []string {
	subject := dig(doc, "properties", "context", "properties", "subject")
	var out []string
	var walk func(s map[string]any, prefix string)
	walk = func(s map[string]any, prefix string) {
		if items, ok := s["items"].(map[string]any); ok {
			walk(items, prefix)
			return
		}
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, r := range req {
			name, _ := r.(string)
			ref := name
			if prefix != "" {
				ref = prefix + "/" + name
			}
			p, _ := props[name].(map[string]any)
			if p != nil && (p["properties"] != nil || p["items"] != nil) && hasRequired(p) {
				walk(p, ref)
				continue
			}
			out = append(out, ref)
		}
	}
	if subject != nil {
		walk(subject, "")
	}
	return out
}

func hasRequired(s map[string]any) bool {
	if items, ok := s["items"].(map[string]any); ok {
		return hasRequired(items)
	}
	r, _ := s["required"].([]any)
	return len(r) > 0
}

func dig(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, _ := m[k].(map[string]any)
		if next == nil {
			return nil
		}
		m = next
	}
	return m
}

func (j *journeyDef) version(v string) *versionDef {
	for _, vd := range j.versions {
		if vd.version == v {
			return vd
		}
	}
	return nil
}

func (c *catalog) add(j *journeyDef) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.byKey[j.key]; dup {
		return fmt.Errorf("journey %q defined twice", j.key)
	}
	if other, dup := c.byResource[j.resourceID]; dup {
		return fmt.Errorf("resourceId %s already used by journey %q", j.resourceID, other.key)
	}
	c.byKey[j.key] = j
	c.byResource[j.resourceID] = j
	return nil
}

// resolve finds the version a resource ID ("<hex>@<version>" or "<hex>@latest") names.
func (c *catalog) resolve(resourceID string) (*versionDef, error) {
	id, ver, ok := strings.Cut(resourceID, "@")
	if !ok {
		return nil, fmt.Errorf("resourceId %q: want <id>@<version> or <id>@latest", resourceID)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	j := c.byResource[strings.ToLower(id)]
	if j == nil {
		return nil, fmt.Errorf("no journey with resource ID %s", id)
	}
	if ver == "latest" {
		return j.versions[len(j.versions)-1], nil
	}
	if vd := j.version(ver); vd != nil {
		return vd, nil
	}
	return nil, fmt.Errorf("journey %s has no published version %q", id, ver)
}

func (c *catalog) publish(key string, v Version) (string, error) {
	c.mu.RLock()
	j := c.byKey[key]
	c.mu.RUnlock()
	fresh := j == nil
	if fresh {
		var err error
		if j, err = newJourney(key, "", "", "", ""); err != nil {
			return "", err
		}
	}
	vd, err := compileVersion(j, v)
	if err != nil {
		return "", fmt.Errorf("publish %s: %w", key, err)
	}
	if fresh {
		j.versions = []*versionDef{vd}
		if err := c.add(j); err != nil {
			return "", fmt.Errorf("publish %s: %w", key, err)
		}
		return j.resourceID + "@" + vd.version, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if j.version(vd.version) != nil {
		return "", fmt.Errorf("publish %s: version %q is already published", key, vd.version)
	}
	// Copy on write: resolved versions held by running instances stay as they were.
	j.versions = append(slices.Clip(j.versions), vd)
	return j.resourceID + "@" + vd.version, nil
}

func (c *catalog) list() []JourneyInfo {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []JourneyInfo
	for _, j := range c.byKey {
		info := JourneyInfo{Key: j.key, Name: j.name, ResourceID: j.resourceID}
		for _, v := range j.versions {
			info.Versions = append(info.Versions, v.version)
		}
		out = append(out, info)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Key < out[b].Key })
	return out
}
