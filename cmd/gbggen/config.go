package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/gbggen/gbggen/internal/yamljson"

	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/generator/schema"
)

// config is gbggen.yaml; schemas/gbggen.config.schema.json describes it.
// Paths in it are relative to the directory of the config file.
type config struct {
	Journeys []journeyConfig   `json:"journeys"`
	RefMap   map[string]string `json:"refMap,omitempty"`
	IDWise   *idwiseConfig     `json:"idwise,omitempty"` // flows.go
}

type journeyConfig struct {
	Name       string   `json:"name"`
	ResourceID string   `json:"resourceId"`
	Schema     string   `json:"schema"`
	Tasks      taskList `json:"tasks,omitempty"`
	Package    string   `json:"package"`
	Output     string   `json:"output"`
}

// taskList is the tasks member of a journey: task key → schema path, in the order written,
// which is the order of the tasks in generated code (Pending<Journey>Tasks reports them so).
type taskList []taskEntry

type taskEntry struct{ key, schema string }

// JSONShape is the shape gbggen.yaml's strict check holds tasks to (yamljson.Shaper).
func (taskList) JSONShape() reflect.Type { return reflect.TypeFor[map[string]string]() }

// UnmarshalJSON reads the object keeping member order.
func (l *taskList) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("tasks: want a map of task key to schema path")
	}
	*l = nil
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("tasks: %v", err)
		}
		key := k.(string) // inside an object, a token before a value is its key
		var path string
		if err := dec.Decode(&path); err != nil {
			return fmt.Errorf("tasks/%s: want the path of the task's schema", key)
		}
		for _, e := range *l {
			if e.key == key {
				return fmt.Errorf("tasks/%s: listed twice", key)
			}
		}
		*l = append(*l, taskEntry{key, path})
	}
	return nil
}

// configJobs reads the config file and returns one generator job per
// journey. refs (from -ref-map) are added to the config's refMap.
func configJobs(path string, refs map[string]string) ([]generator.Options, error) {
	cfg, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	if len(cfg.Journeys) == 0 && (cfg.IDWise == nil || len(cfg.IDWise.Flows) == 0) {
		return nil, fmt.Errorf("%s#/journeys: no journey configured", path)
	}
	dir := filepath.Dir(path)
	refMap := cfg.refMap(dir, refs)
	var jobs []generator.Options
	for i, j := range cfg.Journeys {
		opts, err := journeyJob(dir, j, refMap)
		if err != nil {
			return nil, fmt.Errorf("%s#/journeys/%d/%v", path, i, err)
		}
		jobs = append(jobs, opts)
	}
	return jobs, nil
}

func readConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg config
	if err := yamljson.UnmarshalStrict(data, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &cfg, nil
}

// refMap is the config's refMap with its paths made relative to dir (the config's
// directory), overridden by refs (from -ref-map flags, relative to the working directory).
func (c *config) refMap(dir string, refs map[string]string) map[string]string {
	m := map[string]string{}
	for u, p := range c.RefMap {
		m[u] = filepath.Join(dir, p)
	}
	for u, p := range refs {
		m[u] = p
	}
	return m
}

func journeyJob(dir string, j journeyConfig, refMap map[string]string) (generator.Options, error) {
	for _, req := range []struct{ key, val string }{{"name", j.Name}, {"resourceId", j.ResourceID},
		{"schema", j.Schema}, {"package", j.Package}, {"output", j.Output}} {
		if strings.TrimSpace(req.val) == "" {
			return generator.Options{}, fmt.Errorf("%s: missing", req.key)
		}
	}
	if !strings.HasSuffix(j.Output, ".go") {
		return generator.Options{}, fmt.Errorf("output: %q is not a .go file", j.Output)
	}
	schemaPath := filepath.Join(dir, j.Schema)
	root, subject, err := journeyRoot(schemaPath)
	if err != nil {
		return generator.Options{}, fmt.Errorf("schema: %v", err)
	}
	name := generator.GoName(j.Name)
	journey := &generator.Journey{Name: name, ResourceID: j.ResourceID, Context: root, Subject: subject}
	roots := []generator.Root{{Name: root, Schema: schemaPath}}
	for _, t := range j.Tasks {
		typ := generator.GoName(t.key) + "Task"
		roots = append(roots, generator.Root{Name: typ, Schema: filepath.Join(dir, t.schema)})
		journey.Tasks = append(journey.Tasks, generator.Task{Name: generator.GoName(t.key), Type: typ, Key: t.key})
	}
	return generator.Options{Package: j.Package, Output: filepath.Join(dir, j.Output), Roots: roots,
		RefMap: refMap, Journey: journey}, nil
}

// journeyRoot names the journey schema's root: Context when it is rooted
// at the start context (it has a "subject" member), Subject otherwise.
func journeyRoot(path string) (string, bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false, err
	}
	raw, err := schema.Parse(path, data)
	if err != nil {
		return "", false, fmt.Errorf("%s: %v", path, err)
	}
	if obj, ok := raw.(*schema.Object); ok {
		if props, ok := obj.Values["properties"].(*schema.Object); ok {
			if _, ok := props.Values["subject"]; !ok {
				return "Subject", true, nil
			}
		}
	}
	return "Context", false, nil
}
