package builtin.vigil.kubernetes.VGL_K8S_020_test

import data.builtin.vigil.kubernetes.VGL_K8S_020 as check
import data.lib.vigil.fixtures
import rego.v1

test_unset_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("seccompProfile")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_unconfined_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"seccompProfile": {"type": "Unconfined"}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_pod_level_allowed if {
	inp := fixtures.deployment([fixtures.container_without_security("seccompProfile")], object.union(fixtures.hardened_pod, {"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
