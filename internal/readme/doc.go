// Package readme holds the test that every Go snippet of the repository's README.md
// compiles against this module: the manual shows the API as it is, not as it was.
package readme
