# METADATA
# title: apt-get lists left in the image
# description: >-
#   A RUN that installs with apt-get but does not remove /var/lib/apt/lists in the same layer keeps
#   the package index in the image for good.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
# custom:
#   id: VGL-DF-005
#   severity: LOW
#   recommended_action: End the same RUN with 'rm -rf /var/lib/apt/lists/*'.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_005

import data.lib.vigil.docker
import rego.v1

cleans_lists(inst) if regex.match(`rm\s+(-[a-zA-Z]+\s+)*/var/lib/apt/lists`, docker.run_text(inst))

deny contains res if {
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	docker.command_is(words, "apt-get")
	"install" in words
	not cleans_lists(inst)
	res := result.new("Remove /var/lib/apt/lists in the RUN that calls 'apt-get install'", inst)
}
