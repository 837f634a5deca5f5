package builtin.vigil.dockerfile.VGL_DF_002_test

import data.builtin.vigil.dockerfile.VGL_DF_002 as check
import data.lib.vigil.fixtures
import rego.v1

test_latest_denied if {
	inp := fixtures.dockerfile([[["from", "ubuntu:latest"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_untagged_denied if {
	inp := fixtures.dockerfile([[["from", "registry.example:5000/team/app"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_version_tag_allowed if {
	inp := fixtures.dockerfile([[["from", "registry.example:5000/team/app:1.4"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_digest_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine@sha256:2b3f7e7a4f1e2d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_scratch_and_stage_alias_allowed if {
	inp := fixtures.dockerfile([[["from", "golang:1.22", "AS", "Build"]], [["from", "build"]], [["from", "scratch"]]])
	r := check.deny with input as inp
	count(r) == 0
}
