package builtin.vigil.kubernetes.VGL_K8S_013_test

import data.builtin.vigil.kubernetes.VGL_K8S_013 as check
import data.lib.vigil.fixtures
import rego.v1

test_limits_cpu_missing_denied if {
	inp := fixtures.deployment([object.union(fixtures.container_without("resources"), {"resources": {"limits": {"memory": "1"}, "requests": {"cpu": "1", "memory": "1Gi"}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_no_resources_denied if {
	inp := fixtures.deployment([fixtures.container_without("resources")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
