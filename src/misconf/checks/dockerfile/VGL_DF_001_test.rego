package builtin.vigil.dockerfile.VGL_DF_001_test

import data.builtin.vigil.dockerfile.VGL_DF_001 as check
import data.lib.vigil.fixtures
import rego.v1

test_no_user_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "apk add --no-cache curl"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_root_user_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["user", "app"], ["user", "root"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_uid_zero_with_group_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["user", "0:0"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_non_root_user_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["user", "root"], ["run", "id"], ["user", "10001"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_root_only_in_build_stage_allowed if {
	inp := fixtures.dockerfile([[["from", "golang:1.22", "AS", "build"], ["user", "root"]], [["from", "alpine:3.20"], ["user", "app"]]])
	r := check.deny with input as inp
	count(r) == 0
}
