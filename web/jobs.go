package web

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"upskill/jobs"
	"upskill/mail"
	"upskill/store"
)

// Background work for learning: a sweep, run on a timer by one instance,
// enrols people under their organisations' assignments and queues
// reminders; each reminder email is then its own durable job, retried
// until the mail server takes it.

type reminderArgs struct {
	Enrolment int64  `json:"enrolment"`
	Which     string `json:"which"` // store.ReminderDueSoon or store.ReminderOverdue
}

func (reminderArgs) Kind() string { return "learning_reminder" }

type sweepArgs struct{}

func (sweepArgs) Kind() string { return "learning_sweep" }

type insightArgs struct{}

func (insightArgs) Kind() string { return "insight_refresh" }

type insightWorker struct {
	river.WorkerDefaults[insightArgs]
	s *Server
}

// Timeout lets a run go on for long: after a large load the first one
// counts millions of attempts. Work done is committed batch by batch, so
// a run that is stopped loses nothing.
func (w *insightWorker) Timeout(*river.Job[insightArgs]) time.Duration { return 30 * time.Minute }

func (w *insightWorker) Work(ctx context.Context, _ *river.Job[insightArgs]) error {
	n, err := w.s.RefreshInsight(ctx)
	if n > 0 {
		w.s.log.InfoContext(ctx, "workforce summaries", "counted", n)
	}
	return err
}

// InsightRefresh is the periodic job that counts submitted attempts into
// the workforce summaries. Only one is ever waiting or running: while a
// long run goes on, the timer adds no more.
func InsightRefresh() *river.PeriodicJob {
	once := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
	return river.NewPeriodicJob(river.PeriodicInterval(insightEvery),
		func() (river.JobArgs, *river.InsertOpts) { return insightArgs{}, once },
		&river.PeriodicJobOpts{RunOnStart: true})
}

type reminderWorker struct {
	river.WorkerDefaults[reminderArgs]
	s *Server
}

func (w *reminderWorker) Work(ctx context.Context, job *river.Job[reminderArgs]) error {
	return w.s.sendReminder(ctx, job.Args.Enrolment, job.Args.Which)
}

type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	s *Server
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[sweepArgs]) error {
	_, _, err := w.s.SweepLearning(ctx)
	return err
}

// RegisterJobs adds the server's background workers to a job runner.
func (s *Server) RegisterJobs(ws *river.Workers) {
	river.AddWorker(ws, &reminderWorker{s: s})
	river.AddWorker(ws, &sweepWorker{s: s})
	river.AddWorker(ws, &insightWorker{s: s})
}

// LearningSweep is the periodic job that runs SweepLearning, on one
// instance at a time, every interval and once at start.
func LearningSweep(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// UseJobs gives the server the runner that queues its background work.
func (s *Server) UseJobs(r *jobs.Runner) { s.jobs = r }

// SweepLearning enrols the people that assignments cover who are not yet
// enrolled (newcomers, and renewals that have come due), and queues a
// reminder for each enrolment coming due or overdue. It returns how many
// it enrolled and how many reminders it queued.
func (s *Server) SweepLearning(ctx context.Context) (enrolled, reminders int, err error) {
	if enrolled, err = s.store.ApplyAssignments(ctx); err != nil {
		return enrolled, 0, err
	}
	if s.jobs == nil {
		return enrolled, 0, fmt.Errorf("web: no job runner to queue reminders on")
	}
	reminders, err = s.store.QueueReminders(ctx, store.ReminderLead, 1000, func(ctx context.Context, tx *sql.Tx, due []store.ReminderJob) error {
		args := make([]river.JobArgs, len(due))
		for i, d := range due {
			args[i] = reminderArgs{Enrolment: d.EnrolmentID, Which: d.Kind}
		}
		return s.jobs.InsertManyTx(ctx, tx, args)
	})
	if enrolled > 0 || reminders > 0 {
		s.log.InfoContext(ctx, "learning sweep", "enrolled", enrolled, "reminders", reminders)
	}
	return enrolled, reminders, err
}

// sendReminder emails one reminder, unless the learning has been completed
// or the person has turned learning emails off since it was queued. An
// error makes the job runner try again later.
func (s *Server) sendReminder(ctx context.Context, enrolmentID int64, kind string) error {
	r, send, err := s.store.ReminderFor(ctx, enrolmentID, kind)
	if err != nil || !send {
		return err
	}
	return s.mail.Send(ctx, reminderEmail(r, s.link("/learning/"+strconv.FormatInt(r.ItemID, 10)), s.link("/account")))
}

// reminderEmail writes a reminder.
func reminderEmail(r *store.Reminder, learning, account string) mail.Message {
	due := formatDate(r.DueAt.In(london))
	what := "learning"
	if r.Mandatory {
		what = "mandatory learning"
	}
	for_ := ""
	if r.OrganisationName != "" {
		for_ = " for " + r.OrganisationName
	}
	subject, lead := "Due by "+due+": "+r.Title, fmt.Sprintf("%s is %s%s, due by %s.", r.Title, what, for_, due)
	if r.Kind == store.ReminderOverdue {
		subject = "Overdue: " + r.Title
		lead = fmt.Sprintf("%s is %s%s. It was due by %s and is not yet complete.", r.Title, what, for_, due)
	}
	return mail.Message{To: r.Email, Subject: subject, Text: fmt.Sprintf(`Hello %s,

%s

Carry on where you left off:
%s

You get these emails because learning was assigned to you. You can turn them off under Your account:
%s
`, r.Name, lead, learning, account)}
}
