package builtin.vigil.dockerfile.VGL_DF_017_test

import data.builtin.vigil.dockerfile.VGL_DF_017 as check
import data.lib.vigil.fixtures
import rego.v1

test_apk_add_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "apk add curl"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_apk_add_no_cache_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "apk add --no-cache curl && apk info"]]])
	r := check.deny with input as inp
	count(r) == 0
}
