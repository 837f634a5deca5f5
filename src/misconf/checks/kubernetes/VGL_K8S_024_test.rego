package builtin.vigil.kubernetes.VGL_K8S_024_test

import data.builtin.vigil.kubernetes.VGL_K8S_024 as check
import data.lib.vigil.fixtures
import rego.v1

test_missing_denied if {
	inp := fixtures.deployment([fixtures.container_without("livenessProbe")], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_cronjob_without_probe_allowed if {
	inp := {
		"apiVersion": "batch/v1",
		"kind": "CronJob",
		"metadata": {"name": "nightly", "namespace": "shop"},
		"spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
			"automountServiceAccountToken": false,
			"containers": [fixtures.container_without("livenessProbe")],
		}}}}},
	}
	r := check.deny with input as inp
	count(r) == 0
}
