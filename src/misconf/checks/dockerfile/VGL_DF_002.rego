# METADATA
# title: Base image without a pinned tag
# description: >-
#   FROM uses the latest tag or no tag at all, so every build may start from a different image and
#   an update can silently change what is shipped.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#from
# custom:
#   id: VGL-DF-002
#   severity: MEDIUM
#   recommended_action: Pin the base image to a version tag, or better to a digest (image@sha256:…).
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_002

import data.lib.vigil.docker
import rego.v1

tag(image) := "" if not contains(last_segment(image), ":")

tag(image) := split(last_segment(image), ":")[1] if contains(last_segment(image), ":")

last_segment(image) := parts[count(parts) - 1] if parts := split(image, "/")

unpinned(image) if {
	not contains(image, "@")
	tag(image) in {"", "latest"}
}

deny contains res if {
	some inst in docker.instructions("from")
	image := docker.from_image(inst)
	lower(image) != "scratch"
	not lower(image) in docker.stage_aliases
	not startswith(image, "$")
	unpinned(image)
	res := result.new(sprintf("Base image %q is not pinned to a version tag or digest", [image]), inst)
}
