package builtin.vigil.kubernetes.VGL_K8S_025_test

import data.builtin.vigil.kubernetes.VGL_K8S_025 as check
import data.lib.vigil.fixtures
import rego.v1

test_missing_denied if {
	inp := fixtures.deployment([fixtures.container_without("readinessProbe")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_init_container_without_probe_allowed if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"initContainers": [fixtures.container_without("readinessProbe")]}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
