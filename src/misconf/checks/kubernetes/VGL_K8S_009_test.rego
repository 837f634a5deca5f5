package builtin.vigil.kubernetes.VGL_K8S_009_test

import data.builtin.vigil.kubernetes.VGL_K8S_009 as check
import data.lib.vigil.fixtures
import rego.v1

test_hostpid_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"hostPID": true}))
	r := check.deny with input as inp
	count(r) == 1
}

test_hostpid_false_allowed if {
	inp := fixtures.pod([fixtures.hardened], object.union(fixtures.hardened_pod, {"hostPID": false}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
