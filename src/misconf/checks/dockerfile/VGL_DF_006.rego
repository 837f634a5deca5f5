# METADATA
# title: Download piped into a shell
# description: >-
#   'curl … | sh' runs whatever the server returns, unverified, at build time. A compromised or
#   spoofed server controls the image.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#using-pipes
# custom:
#   id: VGL-DF-006
#   severity: HIGH
#   recommended_action: Download to a file, verify its checksum or signature, then run it.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_006

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	some inst in docker.instructions("run")
	regex.match(`(curl|wget)\s[^|;&]*\|\s*(sudo\s+)?(\S*/)?(sh|bash|dash|zsh|ash|ksh)\b`, docker.run_text(inst))
	res := result.new("A download is piped into a shell; fetch it to a file and verify it first", inst)
}
