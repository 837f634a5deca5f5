package builtin.vigil.dockerfile.VGL_DF_013_test

import data.builtin.vigil.dockerfile.VGL_DF_013 as check
import data.lib.vigil.fixtures
import rego.v1

test_port_22_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["expose", "80", "22"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_port_22_tcp_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["expose", "22/tcp"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_other_ports_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["expose", "8022", "2222/tcp", "80"]]])
	r := check.deny with input as inp
	count(r) == 0
}
