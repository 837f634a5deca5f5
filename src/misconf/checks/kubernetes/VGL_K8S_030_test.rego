package builtin.vigil.kubernetes.VGL_K8S_030_test

import data.builtin.vigil.kubernetes.VGL_K8S_030 as check
import data.lib.vigil.fixtures
import rego.v1

test_container_uid_zero_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"runAsUser": 0}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_pod_uid_zero_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("runAsUser")], object.union(fixtures.hardened_pod, {"securityContext": {"runAsUser": 0}}))
	r := check.deny with input as inp
	count(r) == 1
}

test_container_overrides_pod_allowed if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"securityContext": {"runAsUser": 0}}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
