// Package ast stands in for the OPA module in a scanner test fixture.
package ast

// Name names the module.
func Name() string { return "opa" }
