package builtin.vigil.kubernetes.VGL_K8S_019_test

import data.builtin.vigil.kubernetes.VGL_K8S_019 as check
import data.lib.vigil.fixtures
import rego.v1

test_if_not_present_denied if {
	inp := fixtures.deployment([fixtures.container_with({"image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_unset_denied if {
	inp := fixtures.deployment([object.union(fixtures.container_without("imagePullPolicy"), {"image": "nginx:1.27"})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_digest_with_if_not_present_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"imagePullPolicy": "IfNotPresent"})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
