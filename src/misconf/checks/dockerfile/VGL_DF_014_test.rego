package builtin.vigil.dockerfile.VGL_DF_014_test

import data.builtin.vigil.dockerfile.VGL_DF_014 as check
import data.lib.vigil.fixtures
import rego.v1

test_chmod_777_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "chmod 777 /app"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_chmod_recursive_0666_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "chmod -R 0666 /data"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_chmod_symbolic_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "chmod o+w /data"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_chmod_safe_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "chmod 755 /app && chmod 1777 /scratch && chmod u+x run.sh"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_copy_chmod_flag_denied if {
	inp := {"Stages": [{"Name": "alpine:3.20", "Commands": [
		{"Cmd": "from", "Value": ["alpine:3.20"], "Flags": [], "StartLine": 1, "EndLine": 1, "Path": "Dockerfile"},
		{"Cmd": "copy", "Value": ["app", "/app"], "Flags": ["--chmod=777"], "StartLine": 2, "EndLine": 2, "Path": "Dockerfile"},
	]}]}
	r := check.deny with input as inp
	count(r) == 1
}
