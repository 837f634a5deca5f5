# METADATA
# title: More than one CMD in a stage
# description: >-
#   Only the last CMD of a stage takes effect; earlier ones are dead code that misleads readers.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#cmd
# custom:
#   id: VGL-DF-011
#   severity: MEDIUM
#   recommended_action: Keep one CMD per stage.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_011

import rego.v1

deny contains res if {
	some stage in input.Stages
	cmds := [inst | some inst in stage.Commands; inst.Cmd == "cmd"]
	count(cmds) > 1
	some extra in array.slice(cmds, 0, count(cmds) - 1)
	res := result.new(sprintf("Stage %q has %d CMD instructions; only the last one applies", [stage.Name, count(cmds)]), extra)
}
