package builtin.vigil.kubernetes.VGL_K8S_007_test

import data.builtin.vigil.kubernetes.VGL_K8S_007 as check
import data.lib.vigil.fixtures
import rego.v1

test_net_raw_kept_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("capabilities")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_net_raw_dropped_allowed if {
	inp := fixtures.deployment([object.union(fixtures.container_without_security("capabilities"), {"securityContext": {"capabilities": {"drop": ["NET_RAW"]}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
