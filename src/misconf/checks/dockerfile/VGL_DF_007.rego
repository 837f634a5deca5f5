# METADATA
# title: sudo used in RUN
# description: >-
#   Build steps already run as the current USER; sudo adds a setuid program and a way to regain
#   root, with unpredictable TTY and signal behaviour.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: VGL-DF-007
#   severity: MEDIUM
#   recommended_action: Drop sudo; switch USER before and after the steps that need root.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_007

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	words[0] == "sudo"
	res := result.new("Do not use sudo in RUN; switch USER instead", inst)
}
