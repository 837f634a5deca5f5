module example.com/vigil-e2e-gobin

go 1.19

require (
	github.com/open-policy-agent/opa v0.37.0
	golang.org/x/text v0.3.6
)
