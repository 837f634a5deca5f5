package main

import (
	"os"

	"github.com/open-policy-agent/opa/ast"
	"golang.org/x/text/language"
)

func main() {
	os.Stdout.WriteString(ast.Name() + " " + language.Tag() + "\n")
}
