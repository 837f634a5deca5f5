package builtin.vigil.kubernetes.VGL_K8S_015_test

import data.builtin.vigil.kubernetes.VGL_K8S_015 as check
import data.lib.vigil.fixtures
import rego.v1

test_requests_cpu_missing_denied if {
	inp := fixtures.deployment([object.union(fixtures.container_without("resources"), {"resources": {"requests": {"memory": "1"}, "limits": {"cpu": "1", "memory": "1Gi"}}})], fixtures.hardened_pod)
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
