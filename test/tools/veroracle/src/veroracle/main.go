// veroracle answers version questions with the Go libraries Trivy itself uses, as packaged by
// Debian (golang-github-knqyf263-go-{deb,rpm,apk}-version-dev), so the TypeScript schemes can be
// checked against them on many generated inputs in one process.
//
// stdin, one question per line, fields separated by a TAB:
//
//	cmp<TAB>deb|rpm|apk<TAB>A<TAB>B   ->  -1 | 0 | 1 | ERR <message>
//	valid<TAB>deb|apk<TAB>A           ->  true | false
//
// Build (GOPATH mode, offline): GO111MODULE=off GOPATH=<this dir>:/usr/share/gocode go build veroracle
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	apk "github.com/knqyf263/go-apk-version"
	deb "github.com/knqyf263/go-deb-version"
	rpm "github.com/knqyf263/go-rpm-version"
)

func compare(scheme, a, b string) (int, error) {
	switch scheme {
	case "deb":
		va, err := deb.NewVersion(a)
		if err != nil {
			return 0, err
		}
		vb, err := deb.NewVersion(b)
		if err != nil {
			return 0, err
		}
		return va.Compare(vb), nil
	case "rpm":
		return rpm.NewVersion(a).Compare(rpm.NewVersion(b)), nil
	case "apk":
		va, err := apk.NewVersion(a)
		if err != nil {
			return 0, err
		}
		vb, err := apk.NewVersion(b)
		if err != nil {
			return 0, err
		}
		return va.Compare(vb), nil
	}
	return 0, fmt.Errorf("unknown scheme %q", scheme)
}

func valid(scheme, v string) (bool, error) {
	switch scheme {
	case "deb":
		return deb.Valid(v), nil
	case "apk":
		return apk.Valid(v), nil
	}
	return false, fmt.Errorf("no validity check for %q", scheme)
}

func sign(n int) int {
	if n > 0 {
		return 1
	}
	if n < 0 {
		return -1
	}
	return 0
}

func answer(line string) string {
	f := strings.Split(line, "\t")
	switch {
	case len(f) == 4 && f[0] == "cmp":
		r, err := compare(f[1], f[2], f[3])
		if err != nil {
			return "ERR " + err.Error()
		}
		return fmt.Sprint(sign(r))
	case len(f) == 3 && f[0] == "valid":
		ok, err := valid(f[1], f[2])
		if err != nil {
			return "ERR " + err.Error()
		}
		return fmt.Sprint(ok)
	}
	return "ERR malformed question"
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1024*1024), 1024*1024)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		fmt.Fprintln(out, answer(in.Text()))
	}
}
