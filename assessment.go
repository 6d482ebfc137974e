package upskill

import (
	"math"
	"slices"
	"strings"
	"time"
)

// AttemptStatus is where an attempt at the assessment is.
type AttemptStatus string

const (
	AttemptInProgress AttemptStatus = "in_progress"
	AttemptSubmitted  AttemptStatus = "submitted"
)

// Attempt is one go at the assessment by one person on one framework
// version. Answers are saved as they are given; once submitted, an attempt
// never changes, and a new one is started for the next cycle.
type Attempt struct {
	ID             int64         `json:"id"`
	PersonID       int64         `json:"person_id"`
	OrganisationID int64         `json:"organisation_id,omitempty"`
	VersionID      int64         `json:"version_id"`
	Status         AttemptStatus `json:"status"`
	StartedAt      time.Time     `json:"started_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	SubmittedAt    time.Time     `json:"submitted_at,omitzero"`
	Answers        []Answer      `json:"answers"`
	Checks         []CheckAnswer `json:"checks"`
}

// Submitted reports whether the attempt is finished.
func (a *Attempt) Submitted() bool { return a.Status == AttemptSubmitted }

// Answer is a person's rating of one capability: where they are now and
// where they need to be, each as the capability's question type takes it
// (0 to 10, a level number, or 1 for yes and 0 for no).
type Answer struct {
	CapabilityID int64 `json:"capability_id"`
	Now          int   `json:"now"`
	Needed       int   `json:"needed"`
}

// CheckAnswer is a person's answer to a knowledge-check question.
type CheckAnswer struct {
	QuestionID int64   `json:"question_id"`
	Selected   []int64 `json:"selected"`
}

// Answer returns the answer to a capability, if there is one.
func (a *Attempt) Answer(capabilityID int64) (Answer, bool) {
	for _, ans := range a.Answers {
		if ans.CapabilityID == capabilityID {
			return ans, true
		}
	}
	return Answer{}, false
}

// Check returns the answer to a knowledge-check question, if there is one.
func (a *Attempt) Check(questionID int64) (CheckAnswer, bool) {
	for _, c := range a.Checks {
		if c.QuestionID == questionID {
			return c, true
		}
	}
	return CheckAnswer{}, false
}

// CheckAnswerProblem says what is wrong with an answer to a knowledge-check
// question, or "" when it may be saved.
func CheckAnswerProblem(q *CheckQuestion, selected []int64) string {
	if len(selected) == 0 {
		if q.Kind == QuestionMultiple {
			return "Select all the answers you think are right"
		}
		return "Select an answer"
	}
	if q.Kind == QuestionSingle && len(selected) > 1 {
		return "Select one answer"
	}
	for _, id := range selected {
		found := false
		for _, o := range q.Options {
			found = found || o.ID == id
		}
		if !found {
			return "Select one of the answers shown"
		}
	}
	return ""
}

// AnswerProblem says what is wrong with an answer to a capability of v, or
// "" when it may be saved.
func AnswerProblem(v *FrameworkVersion, a Answer) (field, message string) {
	_, c := v.Capability(a.CapabilityID)
	if c == nil {
		return "capability", "That statement is not part of this assessment"
	}
	top := c.MaxAnswer(len(v.Levels))
	switch {
	case a.Now < 0 || a.Now > top:
		return "now", outOfRange(c, top, "now")
	case a.Needed < 0 || a.Needed > top:
		return "needed", outOfRange(c, top, "needed")
	}
	return "", ""
}

func outOfRange(c *Capability, top int, which string) string {
	switch c.Type {
	case QuestionYesNo:
		return "Select yes or no"
	case QuestionLevels:
		if which == "now" {
			return "Select the description that fits you now"
		}
		return "Select the description of where you need to be"
	}
	if which == "now" {
		return "Choose a number from 0 to 10 for where you are now"
	}
	return "Choose a number from 0 to 10 for where you need to be"
}

// Calibration compares how a person rated themselves in a domain with how
// they did in its knowledge checks. People tend to rate their own digital
// skills higher than they are, so a self-rating alone is weak evidence.
type Calibration string

const (
	CalibrationNone    Calibration = ""        // no knowledge checks answered
	CalibrationMatched Calibration = "matched" // the rating and the checks agree
	CalibrationOver    Calibration = "over"    // rated higher than the checks suggest
	CalibrationUnder   Calibration = "under"   // rated lower than the checks suggest
)

// Report is what an attempt's answers say, domain by domain. It is a pure
// function of the version and the answers: the same answers always give
// the same report.
type Report struct {
	Domains     []DomainResult     `json:"domains"`
	Now         float64            `json:"now"`
	Needed      float64            `json:"needed"`
	Gap         float64            `json:"gap"`
	Band        string             `json:"band"`
	Answered    int                `json:"answered"`
	Total       int                `json:"total"`
	Strengths   []CapabilityResult `json:"strengths"`
	Development []CapabilityResult `json:"development"`
}

// DomainResult is the outcome in one domain. Now, Needed and Gap are means
// on the 0 to 10 scale, rounded to one decimal place.
type DomainResult struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Now            float64     `json:"now"`
	Needed         float64     `json:"needed"`
	Gap            float64     `json:"gap"`
	Band           string      `json:"band"`
	Answered       int         `json:"answered"`
	Total          int         `json:"total"`
	ChecksCorrect  int         `json:"checks_correct"`
	ChecksAnswered int         `json:"checks_answered"`
	ChecksTotal    int         `json:"checks_total"`
	Below          int         `json:"below"`       // statements rated below what is needed
	CheckScore     float64     `json:"check_score"` // share of checks right, on the 0 to 10 scale
	Calibration    Calibration `json:"calibration"`
}

// CapabilityResult is one capability as the report shows it.
type CapabilityResult struct {
	Code       string  `json:"code"`
	Statement  string  `json:"statement"`
	DomainCode string  `json:"domain"`
	Now        float64 `json:"now"`
	Needed     float64 `json:"needed"`
	Gap        float64 `json:"gap"`
}

// How many strengths and development areas a report lists, and how high a
// rating must be to count as a strength.
const (
	ReportListLength = 5
	StrengthMin      = 7.0
)

// Score works out the report of an attempt's answers on a version. Means
// are over the capabilities answered; a domain with none answered has
// zeros and no band.
func Score(v *FrameworkVersion, answers []Answer, checks []CheckAnswer) Report {
	byCap := make(map[int64]Answer, len(answers))
	for _, a := range answers {
		byCap[a.CapabilityID] = a
	}
	byQuestion := make(map[int64]CheckAnswer, len(checks))
	for _, c := range checks {
		byQuestion[c.QuestionID] = c
	}
	levels := len(v.Levels)
	var r Report
	var sumNow, sumNeeded, sumGap float64
	var caps []CapabilityResult
	for _, d := range v.Domains {
		dr := DomainResult{Code: d.Code, Name: d.Name, Total: len(d.Capabilities)}
		var now, needed, gap float64
		for i := range d.Capabilities {
			c := &d.Capabilities[i]
			a, ok := byCap[c.ID]
			if !ok {
				continue
			}
			n, nd := c.Rating(a.Now, levels), c.Rating(a.Needed, levels)
			now += n
			needed += nd
			gap += math.Max(0, nd-n)
			if nd > n {
				dr.Below++
			}
			dr.Answered++
			caps = append(caps, CapabilityResult{Code: c.Code, Statement: c.Statement, DomainCode: d.Code,
				Now: round1(n), Needed: round1(nd), Gap: round1(math.Max(0, nd-n))})
		}
		if dr.Answered > 0 {
			dr.Now = round1(now / float64(dr.Answered))
			dr.Needed = round1(needed / float64(dr.Answered))
			dr.Gap = round1(gap / float64(dr.Answered))
			dr.Band = v.Band(dr.Now)
		}
		sumNow += now
		sumNeeded += needed
		sumGap += gap
		r.Answered += dr.Answered
		r.Total += dr.Total

		for _, q := range v.QuestionsFor(d.Code) {
			dr.ChecksTotal++
			ca, ok := byQuestion[q.ID]
			if !ok {
				continue
			}
			dr.ChecksAnswered++
			if q.Correct(ca.Selected) {
				dr.ChecksCorrect++
			}
		}
		if dr.ChecksAnswered > 0 {
			dr.CheckScore = round1(float64(dr.ChecksCorrect) * ScaleMax / float64(dr.ChecksAnswered))
			dr.Calibration = calibrate(dr.Answered > 0, dr.Now, dr.CheckScore)
		}
		r.Domains = append(r.Domains, dr)
	}
	if r.Answered > 0 {
		r.Now = round1(sumNow / float64(r.Answered))
		r.Needed = round1(sumNeeded / float64(r.Answered))
		r.Gap = round1(sumGap / float64(r.Answered))
		r.Band = v.Band(r.Now)
	}
	r.Strengths, r.Development = strengthsAndGaps(caps)
	if r.Strengths == nil {
		r.Strengths = []CapabilityResult{}
	}
	if r.Development == nil {
		r.Development = []CapabilityResult{}
	}
	return r
}

// TargetReached reports whether a domain's result earns the badge for
// reaching the target: every statement of the domain answered, a target to
// reach, no statement below it, and no knowledge check that says the
// ratings are higher than the person's answers bear out. A self-rating
// alone is weak evidence, so where the checks disagree there is no badge.
func (d DomainResult) TargetReached() bool {
	return d.Total > 0 && d.Answered == d.Total && d.Needed > 0 && d.Below == 0 && d.Calibration != CalibrationOver
}

// DomainsReached lists the domains of a report whose target was reached.
func (r Report) DomainsReached() []DomainResult {
	var out []DomainResult
	for _, d := range r.Domains {
		if d.TargetReached() {
			out = append(out, d)
		}
	}
	return out
}

func calibrate(rated bool, now, checks float64) Calibration {
	if !rated {
		return CalibrationNone
	}
	switch diff := now - checks; {
	case diff >= DefaultCalibrationGap:
		return CalibrationOver
	case diff <= -DefaultCalibrationGap:
		return CalibrationUnder
	}
	return CalibrationMatched
}

// strengthsAndGaps picks the capabilities rated highest where the person
// already meets what is needed, and those with the largest gaps. The sorts
// are stable, so ties keep the order of the framework and the lists never
// shuffle.
func strengthsAndGaps(caps []CapabilityResult) (strengths, gaps []CapabilityResult) {
	for _, c := range caps {
		if c.Now >= StrengthMin && c.Now >= c.Needed {
			strengths = append(strengths, c)
		}
		if c.Gap > 0 {
			gaps = append(gaps, c)
		}
	}
	slices.SortStableFunc(strengths, func(a, b CapabilityResult) int { return compareDesc(a.Now, b.Now) })
	slices.SortStableFunc(gaps, func(a, b CapabilityResult) int {
		if a.Gap != b.Gap {
			return compareDesc(a.Gap, b.Gap)
		}
		return compareDesc(a.Needed, b.Needed)
	})
	return firstN(strengths, ReportListLength), firstN(gaps, ReportListLength)
}

// compareDesc orders larger numbers first and keeps equal ones in place.
func compareDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func firstN(s []CapabilityResult, n int) []CapabilityResult {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// round1 rounds half away from zero to one decimal place.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// DomainChange is how a domain's ratings moved between two attempts.
type DomainChange struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Before     float64 `json:"before"`
	After      float64 `json:"after"`
	Change     float64 `json:"change"`
	Comparable bool    `json:"comparable"` // both attempts rated the domain
	BeforeBand string  `json:"before_band"`
	AfterBand  string  `json:"after_band"`
}

// Compare lines up the domains of a later report with an earlier one by
// domain code, so that attempts on different versions of a framework can
// still be compared where their domains match.
func Compare(earlier, later Report) []DomainChange {
	prev := map[string]DomainResult{}
	for _, d := range earlier.Domains {
		prev[strings.ToLower(d.Code)] = d
	}
	var out []DomainChange
	for _, d := range later.Domains {
		c := DomainChange{Code: d.Code, Name: d.Name, After: d.Now, AfterBand: d.Band}
		if p, ok := prev[strings.ToLower(d.Code)]; ok && p.Answered > 0 && d.Answered > 0 {
			c.Before, c.BeforeBand, c.Comparable = p.Now, p.Band, true
			c.Change = round1(d.Now - p.Now)
		}
		out = append(out, c)
	}
	return out
}

// ReviewStatus is where a supervisor's review of an attempt is.
type ReviewStatus string

const (
	ReviewRequested ReviewStatus = "requested"
	ReviewSignedOff ReviewStatus = "signed_off"
)

// RatingOutcome is a supervisor's view of one rating.
type RatingOutcome string

const (
	RatingConfirmed RatingOutcome = "confirmed"
	RatingRejected  RatingOutcome = "rejected" // to be talked over: the comment says why
)

// Review is a supervisor's review of a submitted attempt that the learner
// shared with them.
type Review struct {
	AttemptID      int64          `json:"attempt_id"`
	SupervisorID   int64          `json:"supervisor_id"`
	SupervisorName string         `json:"supervisor_name"`
	LearnerID      int64          `json:"learner_id"`
	LearnerName    string         `json:"learner_name"`
	OrganisationID int64          `json:"organisation_id"`
	Status         ReviewStatus   `json:"status"`
	RequestedAt    time.Time      `json:"requested_at"`
	SignedOffAt    time.Time      `json:"signed_off_at,omitzero"`
	Comment        string         `json:"comment,omitempty"`
	Ratings        []RatingReview `json:"ratings"`
}

// RatingReview is a supervisor's outcome for one rating, with who gave it
// and when.
type RatingReview struct {
	CapabilityID int64         `json:"capability_id"`
	Outcome      RatingOutcome `json:"outcome"`
	Comment      string        `json:"comment,omitempty"`
	ReviewerName string        `json:"reviewer_name,omitempty"`
	ReviewedAt   time.Time     `json:"reviewed_at"`
}

// Rating returns the review of one capability's rating, if any.
func (r *Review) Rating(capabilityID int64) (RatingReview, bool) {
	for _, rr := range r.Ratings {
		if rr.CapabilityID == capabilityID {
			return rr, true
		}
	}
	return RatingReview{}, false
}

// MaxReviewComment is the longest comment a supervisor may leave.
const MaxReviewComment = 1000
