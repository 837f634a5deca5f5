package builtin.vigil.kubernetes.VGL_K8S_021_test

import data.builtin.vigil.kubernetes.VGL_K8S_021 as check
import data.lib.vigil.fixtures
import rego.v1

test_field_unconfined_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"appArmorProfile": {"type": "Unconfined"}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_runtime_default_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_annotation_unconfined_denied if {
	inp := json.patch(fixtures.deployment([fixtures.hardened], fixtures.hardened_pod), [{
		"op": "add",
		"path": "/spec/template/metadata/annotations",
		"value": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"},
	}])
	r := check.deny with input as inp
	count(r) == 1
}
