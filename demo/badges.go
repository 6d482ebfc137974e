package demo

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"upskill"
	"upskill/badge"
	"upskill/store"
)

// This file issues the demo's Open Badges once the rest is stored: badges
// are signed with the database's own key and name stored ids, so they
// cannot be made before. Badges are issued when a learner asks for one, so
// only some who could have one do: a little over half of the completions
// of badge-bearing learning, and some of the domains whose target a
// person's latest assessment reached.

const (
	completionBadgeShare = 0.55
	domainBadgeShare     = 0.12
)

// issueBadges signs and stores the badges of the loaded data d, under the
// addresses of site. It returns how many it issued.
func issueBadges(ctx context.Context, s *store.Store, d *Data, site badge.Site) (int, error) {
	b := &d.Bulk
	seedHex, err := s.BadgeSeed(ctx)
	if err != nil {
		return 0, err
	}
	key := ed25519.NewKeyFromSeed(seedHex)
	r := rand.New(rand.NewPCG(d.Options.Seed^0xba_d6e5, 0x0b_3c))
	emails := make(map[int64]string, len(b.People))
	for _, p := range b.People {
		emails[p.ID] = p.Email
	}

	type pending struct {
		row   store.Badge
		award badge.Award
	}
	var todo []pending
	id := func() (string, string) {
		raw := make([]byte, 24)
		for i := range raw {
			raw[i] = byte(r.Uint32())
		}
		return hex.EncodeToString(raw[:16]), hex.EncodeToString(raw[16:])
	}
	// asked is when a learner asked for the badge of something they did
	// at done: within a few days.
	asked := func(done time.Time) time.Time {
		return done.Add(time.Duration(r.Int64N(int64(5 * 24 * time.Hour)))).Truncate(time.Second)
	}

	// Completions of badge-bearing learning.
	versions := map[int64]*upskill.ContentVersion{}
	for i := range b.Learning {
		for j := range b.Learning[i].Versions {
			v := &b.Learning[i].Versions[j]
			versions[v.ID] = v
		}
	}
	for _, e := range b.Enrolments {
		v := versions[e.VersionID]
		if e.Status != upskill.Completed || v == nil || !v.BadgeBearing || r.Float64() >= completionBadgeShare {
			continue
		}
		badgeID, salt := id()
		award := site.CompletionAward(badgeID, emails[e.PersonID], salt, badge.Completion{ItemID: e.ItemID, Title: v.Title,
			Summary: v.Summary, Version: v.Number, PassMark: v.PassMark, CompletedAt: e.CompletedAt})
		todo = append(todo, pending{store.Badge{ID: badgeID, EnrolmentID: e.ID, PersonID: e.PersonID, Title: v.Title,
			IssuedAt: asked(e.CompletedAt)}, award})
	}

	// Domains whose target each person's latest assessment reached.
	if len(b.Attempts) > 0 {
		v, err := s.Version(ctx, b.Attempts[0].VersionID)
		if err != nil {
			return 0, err
		}
		fw, err := s.Framework(ctx, v.FrameworkID)
		if err != nil {
			return 0, err
		}
		latest := map[int64]int{}
		for i, a := range b.Attempts {
			if a.Status == upskill.AttemptSubmitted {
				latest[a.PersonID] = i
			}
		}
		for i, a := range b.Attempts {
			if a.Status != upskill.AttemptSubmitted || latest[a.PersonID] != i || a.VersionID != v.ID {
				continue
			}
			for _, dr := range upskill.Score(v, a.Answers, a.Checks).DomainsReached() {
				if r.Float64() >= domainBadgeShare {
					continue
				}
				badgeID, salt := id()
				ach := site.DomainAchievement(fw.Key, fw.Name, dr.Code, dr.Name)
				todo = append(todo, pending{store.Badge{ID: badgeID, AttemptID: a.ID, DomainCode: dr.Code, PersonID: a.PersonID,
					Title: ach.Name, IssuedAt: asked(a.SubmittedAt)}, site.DomainAward(badgeID, emails[a.PersonID], salt, ach, a.SubmittedAt)})
			}
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}

	// Each gets a bit of its own, at random, in lists filled to half, after
	// any lists the database already has.
	last, err := s.LastStatusList(ctx)
	if err != nil {
		return 0, err
	}
	list := last + 1
	var free []int
	for i := range todo {
		if len(free) == 0 {
			if i > 0 {
				list++
			}
			free = r.Perm(badge.StatusListSize)[:badge.StatusListSize/2]
		}
		todo[i].row.StatusList, todo[i].row.StatusIndex = list, free[0]
		free = free[1:]
	}

	// Signing is the slow part: it is shared between the processors.
	rows := make([]store.Badge, len(todo))
	errs := make([]error, len(todo))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(todo); i += workers {
				t := &todo[i]
				t.row.Token, errs[i] = site.Sign(t.award, key, t.row.StatusList, t.row.StatusIndex)
				rows[i] = t.row
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return len(rows), s.LoadBadges(ctx, rows)
}
