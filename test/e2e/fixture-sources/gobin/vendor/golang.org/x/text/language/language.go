// Package language stands in for golang.org/x/text in a scanner test fixture.
package language

// Tag names a language.
func Tag() string { return "en" }
