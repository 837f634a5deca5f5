# METADATA
# title: More than one ENTRYPOINT in a stage
# description: >-
#   Only the last ENTRYPOINT of a stage takes effect; earlier ones are dead code that misleads
#   readers.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#entrypoint
# custom:
#   id: VGL-DF-012
#   severity: MEDIUM
#   recommended_action: Keep one ENTRYPOINT per stage.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_012

import rego.v1

deny contains res if {
	some stage in input.Stages
	entrypoints := [inst | some inst in stage.Commands; inst.Cmd == "entrypoint"]
	count(entrypoints) > 1
	some extra in array.slice(entrypoints, 0, count(entrypoints) - 1)
	res := result.new(
		sprintf("Stage %q has %d ENTRYPOINT instructions; only the last one applies", [stage.Name, count(entrypoints)]),
		extra,
	)
}
