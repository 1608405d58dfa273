package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
}

type journeyConfig struct {
	Name       string            `json:"name"`
	ResourceID string            `json:"resourceId"`
	Schema     string            `json:"schema"`
	Tasks      map[string]string `json:"tasks,omitempty"`
	Package    string            `json:"package"`
	Output     string            `json:"output"`
}

// configJobs reads the config file and returns one generator job per
// journey. refs (from -ref-map) are added to the config's refMap.
func configJobs(path string, refs map[string]string) ([]generator.Options, error) {
	cfg, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	if len(cfg.Journeys) == 0 {
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
	names := make([]string, 0, len(j.Tasks))
	for t := range j.Tasks {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		typ := generator.GoName(t) + "Task"
		roots = append(roots, generator.Root{Name: typ, Schema: filepath.Join(dir, j.Tasks[t])})
		journey.Tasks = append(journey.Tasks, generator.Task{Name: generator.GoName(t), Type: typ})
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
