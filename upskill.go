// Package upskill holds the domain of the upskill platform: organisations and
// the people in them, the roles a membership carries, what each role may do,
// and the errors that decide what a user is told. It depends on nothing but
// the standard library; storage, HTTP and email adapt to it from their own
// packages, and cmd/upskill wires them together.
package upskill

// Version is the release of this build. The build sets it with
// -ldflags "-X upskill.Version=..."; a plain go build reports "dev".
var Version = "dev"
