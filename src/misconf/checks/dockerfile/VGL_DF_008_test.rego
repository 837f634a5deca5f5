package builtin.vigil.dockerfile.VGL_DF_008_test

import data.builtin.vigil.dockerfile.VGL_DF_008 as check
import data.lib.vigil.fixtures
import rego.v1

test_no_healthcheck_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["cmd", "serve"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_healthcheck_only_in_build_stage_denied if {
	inp := fixtures.dockerfile([[["from", "golang:1.22", "AS", "build"], ["healthcheck", "CMD", "true"]], [["from", "alpine:3.20"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_healthcheck_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["healthcheck", "CMD", "wget -q -O- http://localhost:8080/healthz"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_healthcheck_none_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["healthcheck", "NONE"]]])
	r := check.deny with input as inp
	count(r) == 0
}
