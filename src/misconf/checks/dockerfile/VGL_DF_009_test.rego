package builtin.vigil.dockerfile.VGL_DF_009_test

import data.builtin.vigil.dockerfile.VGL_DF_009 as check
import data.lib.vigil.fixtures
import rego.v1

test_env_password_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["env", "DB_PASSWORD", "hunter2", "="]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_arg_token_default_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["arg", "GITHUB_TOKEN=abc123"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_two_secrets_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["env", "API_KEY", "k", "=", "SECRET", "s", "="]]])
	r := check.deny with input as inp
	count(r) == 2
}

test_arg_without_default_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["arg", "GITHUB_TOKEN"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_reference_and_plain_env_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["env", "DB_PASSWORD_FILE", "$SECRET_PATH", "=", "PATH", "/usr/bin", "="]]])
	r := check.deny with input as inp
	count(r) == 0
}
