package builtin.vigil.dockerfile.VGL_DF_012_test

import data.builtin.vigil.dockerfile.VGL_DF_012 as check
import data.lib.vigil.fixtures
import rego.v1

test_two_entrypoints_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["entrypoint", "one"], ["entrypoint", "two"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_one_entrypoint_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["entrypoint", "serve"], ["cmd", "--port=8080"]]])
	r := check.deny with input as inp
	count(r) == 0
}
