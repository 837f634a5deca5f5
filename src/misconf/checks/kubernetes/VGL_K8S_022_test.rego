package builtin.vigil.kubernetes.VGL_K8S_022_test

import data.builtin.vigil.kubernetes.VGL_K8S_022 as check
import data.lib.vigil.fixtures
import rego.v1

test_unset_denied if {
	inp := fixtures.deployment([fixtures.hardened], {})
	r := check.deny with input as inp
	count(r) == 1
}

test_true_denied if {
	inp := fixtures.pod([fixtures.hardened], {"automountServiceAccountToken": true})
	r := check.deny with input as inp
	count(r) == 1
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
