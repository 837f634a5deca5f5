# METADATA
# title: Secret in ENV or ARG
# description: >-
#   Values set with ENV stay in the image configuration and ARG values in the build history, where
#   anyone who can pull the image reads them.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/secrets/
# custom:
#   id: VGL-DF-009
#   severity: HIGH
#   recommended_action: Pass secrets with RUN --mount=type=secret and keep them out of ENV and ARG.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_009

import data.lib.vigil.docker
import rego.v1

secret_name := `(?i)(passw(or)?d|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credentials?)`

# [name, value] pairs of an ENV instruction: its Value holds key, value, separator triples.
env_pairs(inst) := {[inst.Value[i], inst.Value[i + 1]] |
	some i in numbers.range(0, count(inst.Value) - 1)
	i % 3 == 0
}

# [name, default] pairs of an ARG instruction; ARGs without a default carry no value.
arg_pairs(inst) := {[split(arg, "=")[0], substring(arg, indexof(arg, "=") + 1, -1)] |
	some arg in inst.Value
	contains(arg, "=")
}

pairs(inst) := env_pairs(inst) if inst.Cmd == "env"

pairs(inst) := arg_pairs(inst) if inst.Cmd == "arg"

deny contains res if {
	some cmd in ["env", "arg"]
	some inst in docker.instructions(cmd)
	some pair in pairs(inst)
	regex.match(secret_name, pair[0])
	not pair[1] in {"", `""`, "''"}
	not startswith(pair[1], "$")
	res := result.new(sprintf("%s sets %q, which looks like a secret", [upper(cmd), pair[0]]), inst)
}
