package builtin.vigil.dockerfile.VGL_DF_011_test

import data.builtin.vigil.dockerfile.VGL_DF_011 as check
import data.lib.vigil.fixtures
import rego.v1

test_two_cmds_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["cmd", "one"], ["cmd", "two"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_three_cmds_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["cmd", "one"], ["cmd", "two"], ["cmd", "three"]]])
	r := check.deny with input as inp
	count(r) == 2
}

test_one_cmd_per_stage_allowed if {
	inp := fixtures.dockerfile([[["from", "golang:1.22", "AS", "build"], ["cmd", "go"]], [["from", "alpine:3.20"], ["cmd", "serve"]]])
	r := check.deny with input as inp
	count(r) == 0
}
