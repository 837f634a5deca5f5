package builtin.vigil.kubernetes.VGL_K8S_010_test

import data.builtin.vigil.kubernetes.VGL_K8S_010 as check
import data.lib.vigil.fixtures
import rego.v1

test_hostipc_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"hostIPC": true}))
	r := check.deny with input as inp
	count(r) == 1
}

test_hostipc_false_allowed if {
	inp := fixtures.pod([fixtures.hardened], object.union(fixtures.hardened_pod, {"hostIPC": false}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
