# METADATA
# title: World-writable permissions
# description: >-
#   chmod 777 (or a+w, o+w) lets every user in the container change the files, including code
#   that runs later with more rights.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: VGL-DF-014
#   severity: HIGH
#   recommended_action: Grant the least permissions needed (e.g. 755 or 644) and set the owner with chown.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_014

import data.lib.vigil.docker
import rego.v1

# Octal modes whose "others" digit has the write bit; sticky directories (1777, as /tmp) are fine.
world_writable(mode) if {
	regex.match(`^0?[0-7]?[0-7][0-7][2367]$`, mode)
	not regex.match(`^0?[1357][0-7]{3}$`, mode)
}

world_writable(mode) if regex.match(`^(a|o|[ugo]*o[ugo]*)[+=][rwxXst]*w`, mode)

deny contains res if {
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	docker.command_is(words, "chmod")
	some mode in words
	world_writable(mode)
	res := result.new(sprintf("chmod %s makes files writable by every user", [mode]), inst)
}

deny contains res if {
	some cmd in ["copy", "add"]
	some inst in docker.instructions(cmd)
	some flag in inst.Flags
	startswith(flag, "--chmod=")
	world_writable(substring(flag, 8, -1))
	res := result.new(sprintf("%s %s makes files writable by every user", [upper(cmd), flag]), inst)
}
