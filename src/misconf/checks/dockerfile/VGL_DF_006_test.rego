package builtin.vigil.dockerfile.VGL_DF_006_test

import data.builtin.vigil.dockerfile.VGL_DF_006 as check
import data.lib.vigil.fixtures
import rego.v1

test_curl_pipe_sh_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "curl -fsSL https://get.example.com | sh"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_wget_pipe_sudo_bash_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "wget -qO- https://get.example.com | sudo /bin/bash -s"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_download_to_file_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "curl -fsSLo install.sh https://get.example.com && sha256sum -c install.sha256 && sh install.sh"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_pipe_to_other_tool_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/x.gpg"]]])
	r := check.deny with input as inp
	count(r) == 0
}
