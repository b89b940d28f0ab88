// Package app names the whole set of Trygg's services: the core services
// of the root package and those of each mechanism's own package.
//
// It exists so that the set can name services from packages that import
// the root package themselves (operativ, samverkan, concern, weekly),
// which the root package cannot do without an import cycle. sqldb builds
// a Services (sqldb.NewServices), and web, demo and the commands take it:
// every field is required, and web.NewServer refuses a set with a gap.
package app

import (
	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sspf"
	"github.com/trygg-est/trygg/tips"
	"github.com/trygg-est/trygg/weekly"
)

// Services bundles every service, so that the program wires them up in one
// place and hands them on together.
type Services struct {
	Users         trygg.UserService
	Auth          trygg.AuthService
	Organisations trygg.OrganisationService
	Areas         trygg.AreaService
	Categories    trygg.CategoryService
	Reports       trygg.ReportService
	Counts        trygg.CountService
	WeeklyReports weekly.Service
	Agreements    samverkan.AgreementService
	Commitments   samverkan.CommitmentService
	Public        samverkan.PublicService
	Actions       samverkan.ActionService
	Meetings      samverkan.MeetingService
	Notices       samverkan.NoticeService
	Concerns      concern.Service
	Routines      operativ.RoutineService
	Operations    operativ.OperationService
	Referrals     operativ.ReferralService
	Ads           operativ.AdService
	Kast          operativ.KastService
	Audit         trygg.AuditService
	// The review of welfare providers.
	Leverantorer leverantor.Service
	// Indicators, peer groups and the yearly lägesbild (issue 17).
	Indicators indikator.Service
	Yearly     indikator.YearlyService
	// The public front door (issue 13).
	OpenData    opendata.Service
	Tips        tips.Service
	Open311Keys tips.ClientService
	// SSPF is early intervention's register (tidiga insatser).
	SSPF sspf.Service

	Nattvandring nattvandring.Service // issue 15
}
