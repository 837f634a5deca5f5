package builtin.vigil.dockerfile.VGL_DF_005_test

import data.builtin.vigil.dockerfile.VGL_DF_005 as check
import data.lib.vigil.fixtures
import rego.v1

test_lists_kept_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update && apt-get install -y --no-install-recommends curl"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_lists_removed_in_other_run_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get install -y curl"], ["run", "rm -rf /var/lib/apt/lists/*"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_lists_removed_allowed if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]]])
	r := check.deny with input as inp
	count(r) == 0
}
