package builtin.vigil.dockerfile.VGL_DF_004_test

import data.builtin.vigil.dockerfile.VGL_DF_004 as check
import data.lib.vigil.fixtures
import rego.v1

test_install_without_flag_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update && apt-get install -y curl"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_sudo_install_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "sudo apt-get install -y curl"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_install_with_flag_allowed if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update && apt-get install -y --no-install-recommends curl"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_other_commands_allowed if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update"]]])
	r := check.deny with input as inp
	count(r) == 0
}
