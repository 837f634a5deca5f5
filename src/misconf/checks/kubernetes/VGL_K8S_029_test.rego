package builtin.vigil.kubernetes.VGL_K8S_029_test

import data.builtin.vigil.kubernetes.VGL_K8S_029 as check
import data.lib.vigil.fixtures
import rego.v1

test_custom_type_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"seLinuxOptions": {"type": "spc_t"}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_pod_user_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"securityContext": {"seLinuxOptions": {"user": "system_u"}}}))
	r := check.deny with input as inp
	count(r) == 1
}

test_container_type_and_level_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c123,c456"}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
