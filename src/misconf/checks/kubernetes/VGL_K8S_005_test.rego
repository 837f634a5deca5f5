package builtin.vigil.kubernetes.VGL_K8S_005_test

import data.builtin.vigil.kubernetes.VGL_K8S_005 as check
import data.lib.vigil.fixtures
import rego.v1

test_nothing_dropped_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("capabilities")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_partial_drop_denied if {
	inp := fixtures.deployment([object.union(fixtures.container_without_security("capabilities"), {"securityContext": {"capabilities": {"drop": ["NET_RAW"]}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_lower_case_all_allowed if {
	inp := fixtures.deployment([object.union(fixtures.container_without_security("capabilities"), {"securityContext": {"capabilities": {"drop": ["all"]}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
