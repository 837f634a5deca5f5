package builtin.vigil.kubernetes.VGL_K8S_003_test

import data.builtin.vigil.kubernetes.VGL_K8S_003 as check
import data.lib.vigil.fixtures
import rego.v1

test_run_as_non_root_unset_denied if {
	inp := fixtures.deployment([fixtures.container_without_security("runAsNonRoot")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_run_as_non_root_false_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"runAsNonRoot": false}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_pod_level_allowed if {
	inp := fixtures.deployment([fixtures.container_without_security("runAsNonRoot")], object.union(fixtures.hardened_pod, {"securityContext": {"runAsNonRoot": true}}))
	r := check.deny with input as inp
	count(r) == 0
}

test_container_overrides_pod_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"runAsNonRoot": false}})], object.union(fixtures.hardened_pod, {"securityContext": {"runAsNonRoot": true}}))
	r := check.deny with input as inp
	count(r) == 1
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
