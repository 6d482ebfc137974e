package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"upskill"
	demodata "upskill/demo"
	"upskill/password"
)

const demoHelp = `Usage: upskill demo [--orgs N] [--staff M] [--seed S] [--attempts=false] [--learning=false] [--password P] [--db DB]

Fills the database with realistic synthetic data: the nation (England, if
the database has none yet), the seven NHS England regions, N organisations
of every type with departments and teams, and M staff in all, with job
roles, pay bands, supervisors, organisation admins and content authors, a
lead for each region and a national admin. Names are invented; every email
address is under example.nhs.uk or example.org, so no email reaches anyone.
The same seed always makes the same data.

Unless --attempts=false is given, the staff have also taken the digital
skills assessment on the default framework in three yearly cycles, in the
springs of 2024, 2025 and 2026: more of them each year, some with an
attempt still in progress, with ratings and knowledge-check answers that
differ by staff group, job and seniority and improve over the years. That
is about 2 attempts, 60 answers and 30 knowledge-check answers for each
member of staff, so a demo takes about ten times as long with them as
without.

With the attempts comes learning, unless --learning=false is given: a
national catalogue of about 70 lessons and links across the six domains,
lessons that trusts, integrated care boards and councils have written
about their own systems (some shared with neighbours or with everyone),
care homes' adapted copies of national lessons, and about two enrolments
for each member of staff who took the assessment, most of them completed,
chosen from the gaps their latest attempt showed. Most organisations make
a lesson on phishing mandatory for their staff and some supervisors assign
learning to their team; and some learners have asked for the Open Badges
of their completions and of the domains whose target they reached, signed
with the database's own key and naming the address given by --public-url.

Every demo account shares one password, printed at the end with the
accounts to sign in as.

Demo data is loaded once per database: if the database already holds demo
data, the command stops with a message and changes nothing. To try other
numbers, give --db a new SQLite file or an empty PostgreSQL database. A
database that has other data may be used: its nation is kept, and regions
that already exist with the same names are used, not duplicated.

Flags:
`

func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("demo", stderr)
	orgs := fs.Int("orgs", 20, "the number of organisations to make")
	staff := fs.Int("staff", 2000, "the number of staff across those organisations")
	seed := fs.Uint64("seed", 1, "the seed the data is made from; the same seed makes the same data")
	attempts := fs.Bool("attempts", true, "make the staff's attempts at the assessment over three yearly cycles")
	learning := fs.Bool("learning", true, "with the attempts, make a learning catalogue and the staff's enrolments and completions")
	public := fs.String("public-url", env("UPSKILL_PUBLIC_URL", ""),
		"the address the service will be used at, which the demo's badges name; http:// and UPSKILL_ADDR when not given (env UPSKILL_PUBLIC_URL)")
	pw := fs.String("password", env("UPSKILL_DEMO_PASSWORD", ""),
		"the password of every demo account; made up and printed when not given (env UPSKILL_DEMO_PASSWORD)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), demoHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo takes no arguments, only flags; got %q", fs.Arg(0))
	}
	pub, err := publicURL(*public, env("UPSKILL_ADDR", defaultAddr))
	if err != nil {
		return err
	}
	opt := demodata.Options{Orgs: *orgs, Staff: *staff, Seed: *seed, Attempts: *attempts, NoLearning: !*learning, PublicURL: pub}
	if err := opt.Validate(); err != nil {
		return err
	}
	if *pw == "" {
		*pw = makePassword()
	} else if msg := upskill.ValidatePassword(*pw, ""); msg != "" {
		return errors.New("--password: " + msg)
	}

	start := time.Now()
	log := newLogger(stderr)
	s, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer s.Close()
	// One hash for every account: hashing is slow on purpose, and the demo
	// may make a million accounts.
	hash, err := password.New(password.Default).Hash(ctx, *pw)
	if err != nil {
		return err
	}
	d, err := demodata.Load(ctx, s, opt, hash)
	if err != nil {
		var already *demodata.AlreadyLoadedError
		if errors.As(err, &already) {
			return errors.New("nothing was changed: " + already.Error())
		}
		if upskill.ErrorCode(err) == upskill.EINTERNAL {
			return err // the command line is for the operator: show the detail
		}
		return describe(err)
	}
	fmt.Fprintf(stdout, "Demo data made from seed %d and loaded into the %s database in %s:\n%s.\n\n",
		opt.Seed, s.Engine(), time.Since(start).Round(100*time.Millisecond), d.Summary())
	return d.WriteLogins(stdout, *pw)
}
