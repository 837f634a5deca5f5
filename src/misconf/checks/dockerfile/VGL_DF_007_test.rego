package builtin.vigil.dockerfile.VGL_DF_007_test

import data.builtin.vigil.dockerfile.VGL_DF_007 as check
import data.lib.vigil.fixtures
import rego.v1

test_sudo_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "sudo useradd app"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_sudo_after_and_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "echo start && sudo useradd app"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_no_sudo_allowed if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "useradd app && echo sudo is not needed"]]])
	r := check.deny with input as inp
	count(r) == 0
}
