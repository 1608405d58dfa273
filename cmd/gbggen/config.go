package main

import (
	"errors"

	"github.com/gbggen/gbggen/generator"
)

func configJobs(path string, refs map[string]string) ([]generator.Options, error) {
	return nil, errors.New("config file support is not implemented yet")
}
