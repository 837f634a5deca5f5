package builtin.vigil.kubernetes.VGL_K8S_002_test

import data.builtin.vigil.kubernetes.VGL_K8S_002 as check
import data.lib.vigil.fixtures
import rego.v1

test_escalation_unset_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("allowPrivilegeEscalation")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_escalation_true_denied if {
	inp := fixtures.pod([fixtures.container_with({"securityContext": {"allowPrivilegeEscalation": true}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
