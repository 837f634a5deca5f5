package builtin.vigil.dockerfile.VGL_DF_010_test

import data.builtin.vigil.dockerfile.VGL_DF_010 as check
import data.lib.vigil.fixtures
import rego.v1

test_relative_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["workdir", "app"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_dot_relative_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["workdir", "./src"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_absolute_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["workdir", "/app"], ["workdir", "$HOME"], ["workdir", "C:\\app"]]])
	r := check.deny with input as inp
	count(r) == 0
}
