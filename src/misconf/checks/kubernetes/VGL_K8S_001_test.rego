package builtin.vigil.kubernetes.VGL_K8S_001_test

import data.builtin.vigil.kubernetes.VGL_K8S_001 as check
import data.lib.vigil.fixtures
import rego.v1

test_privileged_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"privileged": true}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_privileged_init_container_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"initContainers": [fixtures.container_with({"name": "init", "securityContext": {"privileged": true}})]}))
	r := check.deny with input as inp
	count(r) == 1
}

test_privileged_false_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"privileged": false}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
