package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"upskill"
	"upskill/pdf"
	"upskill/store"
)

// ReportView is the report of a submitted attempt.
type ReportView struct {
	Page
	Framework   *upskill.Framework
	Attempt     *upskill.Attempt
	Version     *upskill.FrameworkVersion
	Report      upskill.Report
	Chart       Chart
	Previous    *store.AttemptSummary
	Changes     []upskill.DomainChange
	Checks      []CheckReview
	Calibration []CalibrationNote
	Bands       []upskill.Band
	Review      *upskill.Review // nil until the learner shares the attempt
	ToTalkOver  []ReviewedRating
	Agreed      int
	Badges      []DomainBadge // the domains whose target was reached
}

// DomainBadge is a domain whose target the attempt reached, with its
// badge once issued.
type DomainBadge struct {
	Code, Domain string
	Badge        *store.Badge
}

// ReviewedRating is a rating the supervisor wants to talk over.
type ReviewedRating struct {
	Statement string
	Comment   string
	By        string
}

// CheckReview is a knowledge-check question with the person's answer and
// the right one.
type CheckReview struct {
	Domain      string
	Prompt      string
	Yours       string
	Right       string
	Correct     bool
	Explanation string
}

// CalibrationNote says how a domain's rating compares with its checks.
type CalibrationNote struct {
	Domain  string
	Kind    upskill.Calibration
	Message string
}

// Chart is a horizontal bar chart of each domain's ratings, drawn as SVG
// from numbers worked out here so that the template only places them.
type Chart struct {
	Width, Height int
	PlotX, PlotW  int
	Ticks         []ChartTick
	Rows          []ChartRow
}

// ChartTick is a mark on the 0 to 10 axis.
type ChartTick struct {
	X     int
	Label string
}

// ChartRow is one domain: its label and two bars.
type ChartRow struct {
	Label           string
	LabelY          int
	NowY, NeededY   int
	NowW, NeededW   int
	NowText, NeedTx string
	BarH            int
}

const (
	chartWidth  = 640
	chartPlotX  = 8
	chartPlotW  = 560
	chartRowH   = 64
	chartBarH   = 14
	chartTopPad = 8
)

func buildChart(r upskill.Report) Chart {
	c := Chart{Width: chartWidth, PlotX: chartPlotX, PlotW: chartPlotW}
	for i := 0; i <= upskill.ScaleMax; i += 2 {
		c.Ticks = append(c.Ticks, ChartTick{X: chartPlotX + i*chartPlotW/upskill.ScaleMax, Label: fmt.Sprint(i)})
	}
	y := chartTopPad
	for _, d := range r.Domains {
		row := ChartRow{Label: d.Code + ". " + d.Name, LabelY: y + 14, NowY: y + 22, NeededY: y + 22 + chartBarH + 2, BarH: chartBarH,
			NowW: int(d.Now * chartPlotW / upskill.ScaleMax), NeededW: int(d.Needed * chartPlotW / upskill.ScaleMax),
			NowText: fmt.Sprintf("%.1f", d.Now), NeedTx: fmt.Sprintf("%.1f", d.Needed)}
		c.Rows = append(c.Rows, row)
		y += chartRowH
	}
	c.Height = y + 24
	return c
}

func (s *Server) report(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if !a.Submitted() {
		return redirect(w, r, resumeURL(a, v))
	}
	fw, err := s.store.Framework(ctx, v.FrameworkID)
	if err != nil {
		return err
	}
	rep := upskill.Score(v, a.Answers, a.Checks)
	view := &ReportView{Framework: fw, Attempt: a, Version: v, Report: rep, Chart: buildChart(rep), Bands: v.Bands}
	history, err := s.store.Attempts(ctx, r.actor.PersonID, fw.ID)
	if err != nil {
		return err
	}
	// The attempt submitted before this one, if any, for the change since.
	for i := range history {
		h := &history[i]
		if h.Status == upskill.AttemptSubmitted && h.ID != a.ID && h.SubmittedAt.Before(a.SubmittedAt) {
			if view.Previous == nil || h.SubmittedAt.After(view.Previous.SubmittedAt) {
				view.Previous = h
			}
		}
	}
	if view.Previous != nil {
		view.Changes = upskill.Compare(upskill.Report{Domains: view.Previous.Domains}, rep)
	}
	for _, d := range rep.Domains {
		if note := calibrationNote(d); note.Message != "" {
			view.Calibration = append(view.Calibration, note)
		}
	}
	for _, d := range v.Domains {
		for _, q := range v.QuestionsFor(d.Code) {
			cr := CheckReview{Domain: d.Name, Prompt: q.Prompt, Explanation: q.Explanation, Right: rightAnswers(q)}
			if ca, ok := a.Check(q.ID); ok {
				cr.Yours, cr.Correct = describeChoice(q, ca.Selected), q.Correct(ca.Selected)
			} else {
				cr.Yours = "Not answered"
			}
			view.Checks = append(view.Checks, cr)
		}
	}
	rev, err := s.store.ReviewOf(ctx, r.actor.PersonID, a.ID)
	switch upskill.ErrorCode(err) {
	case "":
		view.Review = rev
		for _, c := range v.Capabilities() {
			rr, ok := rev.Rating(c.ID)
			switch {
			case !ok:
			case rr.Outcome == upskill.RatingRejected:
				view.ToTalkOver = append(view.ToTalkOver, ReviewedRating{Statement: c.Statement, Comment: rr.Comment, By: rr.ReviewerName})
			default:
				view.Agreed++
			}
		}
	case upskill.ENOTFOUND:
	default:
		return err
	}
	if reached := rep.DomainsReached(); len(reached) > 0 {
		issued, err := s.store.AttemptBadges(ctx, r.actor.PersonID, a.ID)
		if err != nil {
			return err
		}
		for _, d := range reached {
			db := DomainBadge{Code: d.Code, Domain: d.Name}
			for i := range issued {
				if issued[i].DomainCode == d.Code {
					db.Badge = &issued[i]
				}
			}
			view.Badges = append(view.Badges, db)
		}
	}
	view.Title = "Your digital skills report"
	view.Crumbs = []Crumb{{"Home", "/home"}, {fw.Name, assessmentPath(fw.Key)}}
	return s.render(w, r, http.StatusOK, "report.html", view, &view.Page)
}

func rightAnswers(q *upskill.CheckQuestion) string {
	var out []string
	for _, o := range q.Options {
		if o.Correct {
			out = append(out, o.Text)
		}
	}
	return strings.Join(out, "; ")
}

func calibrationNote(d upskill.DomainResult) CalibrationNote {
	n := CalibrationNote{Domain: d.Name, Kind: d.Calibration}
	right := fmt.Sprintf("%d of %d", d.ChecksCorrect, d.ChecksAnswered)
	switch d.Calibration {
	case upskill.CalibrationOver:
		n.Message = fmt.Sprintf("You rated yourself %.1f out of 10, but answered %s knowledge questions correctly. You may be more confident than your knowledge supports: the learning suggested for this area is worth a look.", d.Now, right)
	case upskill.CalibrationUnder:
		n.Message = fmt.Sprintf("You rated yourself %.1f out of 10, and answered %s knowledge questions correctly. You may know more than you give yourself credit for.", d.Now, right)
	case upskill.CalibrationMatched:
		n.Message = fmt.Sprintf("Your rating of %.1f out of 10 fits your answers to the knowledge questions (%s correct).", d.Now, right)
	}
	return n
}

// reportPDF sends the report of a submitted attempt as a PDF file.
func (s *Server) reportPDF(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if !a.Submitted() {
		return redirect(w, r, resumeURL(a, v))
	}
	fw, err := s.store.Framework(ctx, v.FrameworkID)
	if err != nil {
		return err
	}
	rep := upskill.Score(v, a.Answers, a.Checks)
	in := pdf.ReportInput{PersonName: r.actor.Name, FrameworkName: fw.Name, Submitted: a.SubmittedAt.In(london), Report: rep, Bands: v.Bands}
	if a.OrganisationID != 0 {
		if org, err := s.store.Organisation(ctx, a.OrganisationID); err == nil {
			in.OrganisationName = org.Name
		}
	}
	for _, d := range rep.Domains {
		if n := calibrationNote(d); n.Message != "" {
			in.Notes = append(in.Notes, d.Name+": "+n.Message)
		}
	}
	if rev, err := s.store.ReviewOf(ctx, r.actor.PersonID, a.ID); err == nil && rev.Status == upskill.ReviewSignedOff {
		note := rev.SupervisorName + " signed this assessment off on " + formatDate(rev.SignedOffAt) + "."
		if rev.Comment != "" {
			note += " Their comment: " + rev.Comment
		}
		in.Notes = append(in.Notes, note)
	}
	var buf bytes.Buffer
	if err := pdf.Report(&buf, in); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="digital-skills-report-`+a.SubmittedAt.In(london).Format("2006-01-02")+`.pdf"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
