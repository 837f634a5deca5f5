# METADATA
# title: pip install keeps its cache
# description: >-
#   pip install without --no-cache-dir stores downloaded wheels in the image, often tens of
#   megabytes that are never used again.
# scope: package
# related_resources:
#   - https://pip.pypa.io/en/stable/topics/caching/
# custom:
#   id: VGL-DF-018
#   severity: LOW
#   recommended_action: Use 'pip install --no-cache-dir' (or set PIP_NO_CACHE_DIR=1).
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_018

import data.lib.vigil.docker
import rego.v1

pip_programs := {"pip", "pip3"}

pip_install(words) if {
	some program in pip_programs
	docker.command_is(words, program)
	"install" in words
}

pip_install(words) if {
	words[0] in {"python", "python3"}
	words[1] == "-m"
	words[2] in pip_programs
	"install" in words
}

cache_disabled if {
	some inst in docker.instructions("env")
	some i in numbers.range(0, count(inst.Value) - 1)
	i % 3 == 0
	inst.Value[i] == "PIP_NO_CACHE_DIR"
}

deny contains res if {
	not cache_disabled
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	pip_install(words)
	not "--no-cache-dir" in words
	res := result.new("Add --no-cache-dir to 'pip install'", inst)
}
