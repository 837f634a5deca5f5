package builtin.vigil.kubernetes.VGL_K8S_008_test

import data.builtin.vigil.kubernetes.VGL_K8S_008 as check
import data.lib.vigil.fixtures
import rego.v1

test_hostnetwork_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"hostNetwork": true}))
	r := check.deny with input as inp
	count(r) == 1
}

test_hostnetwork_false_allowed if {
	inp := fixtures.pod([fixtures.hardened], object.union(fixtures.hardened_pod, {"hostNetwork": false}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
