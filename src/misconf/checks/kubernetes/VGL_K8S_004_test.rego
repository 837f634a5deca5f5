package builtin.vigil.kubernetes.VGL_K8S_004_test

import data.builtin.vigil.kubernetes.VGL_K8S_004 as check
import data.lib.vigil.fixtures
import rego.v1

test_writable_root_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("readOnlyRootFilesystem")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
