package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/concern"
)

// The demo register of reports of concern (orosanmälningar): three years of
// fictional reports, more each year as the seeds describe (Umeå had close to
// 1,400 more in 2019 than in 2018; the demo is scaled down to keep the
// start quick), in every stage of the statutory clock, some of them late.
// The children, their numbers and every name are made up.

// concernsPerMonth is the demo's monthly intake in each of the three
// years, oldest first.
var concernsPerMonth = [3]int{14, 19, 24}

var (
	demoFirstNames = []string{"Alva", "Elias", "Maja", "Noah", "Ella", "Hugo", "Saga", "Liam", "Wilma", "Oliver", "Alma", "Lucas", "Selma", "Adam", "Vera", "Nils"}
	demoLastNames  = []string{"Exempelsson", "Påhittad", "Testberg", "Demoström", "Fiktivsdotter", "Provqvist", "Låtsasson", "Övningsberg"}
	demoReporters  = []concernWeight{{"skola", 25}, {"polis", 20}, {"halso_sjukvard", 12}, {"forskola", 8}, {"socialtjanst", 8},
		{"anhorig", 8}, {"privatperson", 7}, {"anonym", 5}, {"annan_myndighet", 3}, {"tandvard", 2}, {"kriminalvard", 2}}
	demoChannels   = []concernWeight{{"telefon", 40}, {"etjanst", 30}, {"epost", 15}, {"brev", 10}, {"besok", 5}}
	demoCategories = []concernWeight{{concern.CategoryViolence, 18}, {"bevittnat_vald", 14}, {"forsummelse", 20}, {"foralder_missbruk_psykisk", 22},
		{"eget_beteende", 16}, {"heder", 4}, {"sexuell_exploatering", 6}}
)

type concernWeight struct {
	code   string
	weight int
}

func pickWeighted(r *rand.Rand, ws []concernWeight) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.weight {
			return w.code
		}
		n -= w.weight
	}
	return ws[0].code
}

// demoChild is a fictional child with a valid personnummer.
type demoChild struct{ id, name string }

func newDemoChild(r *rand.Rand, now time.Time) demoChild {
	born := now.AddDate(-1-r.IntN(16), 0, -r.IntN(365))
	digits := born.Format("060102") + fmt.Sprintf("%03d", r.IntN(1000))
	sum := 0
	for i, c := range digits {
		v := int(c-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	check := (10 - sum%10) % 10
	return demoChild{
		id:   born.Format("2006") + digits[2:6] + "-" + digits[6:] + strconv.Itoa(check),
		name: demoFirstNames[r.IntN(len(demoFirstNames))] + " " + demoLastNames[r.IntN(len(demoLastNames))],
	}
}

// demoUserNamed returns the demo user with that local part.
func demoUserNamed(ctx context.Context, s app.Services, local string) (*trygg.User, error) {
	email := local + emailDomain
	found, err := s.Users.FindUsers(ctx, trygg.UserFilter{Email: &email})
	if err != nil || len(found) != 1 {
		return nil, fmt.Errorf("demo user %s: %d found, %v", email, len(found), err)
	}
	return found[0], nil
}

// loadConcerns registers the demo reports, most as the demo case worker
// and some as the manager, who assigns them to the case worker except in
// the last weeks; the case worker records each step of the clock at the
// time it was made.
func loadConcerns(ctx context.Context, s app.Services, ds *Dataset) error {
	worker, err := demoUserNamed(ctx, s, "socialtjanst")
	if err != nil {
		return err
	}
	manager, err := demoUserNamed(ctx, s, "arbetsledare")
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(uint64(ds.End.Unix()), pcgStream+1))
	loc := trygg.Stockholm
	end := ds.End.In(loc)
	var children []demoChild
	for back := 35; back >= 0; back-- {
		month := time.Date(end.Year(), end.Month()-time.Month(back), 1, 0, 0, 0, 0, loc)
		n := concernsPerMonth[2-back/12]
		for range n {
			received := month.Add(time.Duration(r.IntN(31*24)) * time.Hour).Add(time.Duration(8*60+r.IntN(9*60)) * time.Minute)
			if received.Month() != month.Month() || received.After(ds.End) {
				continue
			}
			child := newDemoChild(r, received)
			if len(children) > 0 && r.IntN(100) < 15 {
				child = children[r.IntN(len(children))] // a child reported before
			} else {
				children = append(children, child)
			}
			if err := demoConcern(ctx, s, r, worker, manager, received, child, ds.End); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoConcern registers one report and walks it through the clock as far
// as its age allows, missing a deadline now and then.
func demoConcern(ctx context.Context, s app.Services, r *rand.Rand, worker, manager *trygg.User, received time.Time, child demoChild, now time.Time) error {
	byManager := r.IntN(100) < 15
	intake := worker
	if byManager {
		intake = manager
	}
	in := concern.Input{
		ReceivedAt: received, Channel: pickWeighted(r, demoChannels), ReporterCategory: pickWeighted(r, demoReporters),
		ChildID: child.id, ChildName: child.name, Guardians: "Vårdnadshavare (fiktiva)",
		Description: "Fiktiv demoanmälan: anmälaren beskriver oro för barnets situation.",
	}
	in.Categories = []string{pickWeighted(r, demoCategories)}
	if extra := pickWeighted(r, demoCategories); r.IntN(3) == 0 && extra != in.Categories[0] {
		in.Categories = append(in.Categories, extra)
	}
	switch in.ReporterCategory {
	case "anonym":
	case "privatperson", "anhorig":
		in.ReporterName = "Fiktiv anmälare"
	default:
		in.ReporterMandatory, in.ReporterName = true, "Fiktiv yrkesperson"
	}
	c, err := s.Concerns.CreateReport(trygg.NewContextWithUser(ctx, intake), in)
	if err != nil {
		return fmt.Errorf("demo concern: %w", err)
	}
	if byManager && now.Sub(received) > 21*24*time.Hour {
		assign := concern.StepInput{Kind: concern.StepAssign, At: received.Add(time.Hour), AssigneeID: worker.ID}
		if _, err := s.Concerns.RecordStep(trygg.NewContextWithUser(ctx, manager), c.Ref, assign); err != nil {
			return fmt.Errorf("demo concern assignment: %w", err)
		}
	}
	ctx = trygg.NewContextWithUser(ctx, worker)
	step := func(at time.Time, st concern.StepInput) (bool, error) {
		if at.After(now) {
			return false, nil
		}
		st.At = at
		if _, err := s.Concerns.RecordStep(ctx, c.Ref, st); err != nil {
			return false, fmt.Errorf("demo concern step %s: %w", st.Kind, err)
		}
		return true, nil
	}
	// The protection assessment: at once, or (rarely) the next day.
	protAt := received.Add(time.Duration(30+r.IntN(180)) * time.Minute)
	if r.IntN(25) == 0 {
		protAt = protAt.Add(24 * time.Hour)
	}
	if ok, err := step(protAt, concern.StepInput{Kind: concern.StepProtection, ProtectNeeded: r.IntN(12) == 0}); !ok || err != nil {
		return err
	}
	// Of the last two months' reports, one in eight waits for its
	// pre-assessment: those older than 14 days are late.
	if now.Sub(received) < 61*24*time.Hour && r.IntN(8) == 0 {
		return nil
	}
	// The pre-assessment within 14 days, or later with exceptional reasons.
	pre := concern.StepInput{Kind: concern.StepPre, Open: c.Urgent() || r.IntN(100) < 35, Reason: "Fiktiva skäl för beslutet."}
	preAt := protAt.Add(time.Duration(1+r.IntN(12)) * 24 * time.Hour)
	if c.Urgent() {
		preAt = protAt.Add(time.Hour)
	} else if r.IntN(12) == 0 {
		preAt = received.AddDate(0, 0, 15+r.IntN(10))
		pre.Exceptional = "Fiktiva synnerliga skäl: vårdnadshavarna kunde inte nås."
	}
	if ok, err := step(preAt, pre); !ok || err != nil {
		return err
	}
	closeAt := preAt.Add(time.Duration(1+r.IntN(5)) * 24 * time.Hour)
	if pre.Open {
		// Most investigations finish in two to four months; some are
		// extended, a few finish late.
		due := concern.InvestigationDue(trygg.DayOf(preAt))
		doneAt := preAt.AddDate(0, 2, r.IntN(55))
		switch n := r.IntN(10); {
		case n == 0:
			ext := concern.StepInput{Kind: concern.StepExtension, Reason: "Fiktiva särskilda skäl: utlåtande från BUP dröjer.", NewDue: due.AddMonths(2)}
			if ok, err := step(due.Start().Add(-10*24*time.Hour), ext); !ok || err != nil {
				return err
			}
			doneAt = due.Start().AddDate(0, 1, r.IntN(25))
		case n == 1:
			doneAt = due.Start().AddDate(0, 0, 3+r.IntN(20))
		}
		if ok, err := step(doneAt, concern.StepInput{Kind: concern.StepCompletion, Decision: "Fiktivt beslut: insats beviljas.",
			Interventions: "Fiktiv insats: familjebehandling."}); !ok || err != nil {
			return err
		}
		closeAt = doneAt.Add(time.Duration(1+r.IntN(7)) * 24 * time.Hour)
	}
	_, err = step(closeAt, concern.StepInput{Kind: concern.StepClose})
	return err
}

// ConcernKey is the register key of demo installations. It is public, so
// a demo database must never hold real reports.
func ConcernKey() []byte {
	return []byte("trygg-demo-register-key-32-bytes")
}
