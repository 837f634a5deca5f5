package builtin.vigil.dockerfile.VGL_DF_015_test

import data.builtin.vigil.dockerfile.VGL_DF_015 as check
import data.lib.vigil.fixtures
import rego.v1

test_maintainer_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["maintainer", "ops@example.com"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_label_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["label", "org.opencontainers.image.authors", "ops@example.com", "="]]])
	r := check.deny with input as inp
	count(r) == 0
}
