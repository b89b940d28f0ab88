package demo

import (
	"slices"

	"github.com/trygg-est/trygg"
)

// Password is the one password of every demo user. `trygg serve --demo`
// prints it with the logins; the demo must never hold real accounts.
const Password = "demo-trygg-2026"

// emailDomain is reserved for local use and never delivers mail.
const emailDomain = "@demo.trygg.local"

// The partner organisations named in the seeds, plus the schools and the
// retailers and security company of the Ålidhem centrum agreement.
var organisations = []trygg.Organisation{
	{Code: "umebra", Name: "UmeBrå – Umeå drog- och brottsförebyggande råd", Type: trygg.OrgMunicipal},
	{Code: "umea-kommun", Name: "Umeå kommun, trygghetssamordning och gator och parker", Type: trygg.OrgMunicipal},
	{Code: "ifn", Name: "Individ- och familjenämnden", Type: trygg.OrgMunicipal},
	{Code: "faltgruppen", Name: "Fältgruppen, socialtjänsten", Type: trygg.OrgSocialServices},
	{Code: "ifo", Name: "Individ- och familjeomsorgen (socialtjänsten)", Type: trygg.OrgSocialServices},
	{Code: "polisen-umea", Name: "Polisen, lokalpolisområde Umeå", Type: trygg.OrgPolice},
	{Code: "bostaden", Name: "AB Bostaden i Umeå", Type: trygg.OrgProperty},
	{Code: "alidhemsskolan", Name: "Ålidhemsskolan", Type: trygg.OrgSchool},
	{Code: "ersbodaskolan", Name: "Ersbodaskolan", Type: trygg.OrgSchool},
	{Code: "dragonskolan", Name: "Dragonskolan", Type: trygg.OrgSchool},
	{Code: "nattvandrarna", Name: "Nattvandrarna i Umeå", Type: trygg.OrgAssociation},
	{Code: "alidhem-centrum", Name: "Handlarna i Ålidhem centrum", Type: trygg.OrgRetailer},
	{Code: "centrumvakterna", Name: "Ordningsvakter i centrum (bevakningsbolag)", Type: trygg.OrgSecurity},
	// The units with contracts with welfare providers (leverantorer).
	{Code: "vof", Name: "Vård- och omsorgsförvaltningen", Type: trygg.OrgMunicipal},
	{Code: "fsf", Name: "För- och grundskoleförvaltningen", Type: trygg.OrgMunicipal},
	{Code: "fritidsforvaltningen", Name: "Fritidsförvaltningen, Umeå kommun", Type: trygg.OrgMunicipal},
}

// demoUser is an account with the organisation it belongs to.
type demoUser struct {
	local, name, org string
	roles            []trygg.Role
}

// users holds one login per role first (printed by Logins), then the other
// reporters whose reports the generator attributes.
var users = []demoUser{
	{"samordnare", "Samordnare UmeBrå", "umebra", []trygg.Role{trygg.RoleSamordnare}},
	{"rapportor", "Fältarbetare Fältgruppen", "faltgruppen", []trygg.Role{trygg.RoleRapportor}},
	{"polis", "Kommunpolis Umeå", "polisen-umea", []trygg.Role{trygg.RolePolis}},
	{"socialtjanst", "Socialsekreterare IFO", "ifo", []trygg.Role{trygg.RoleSocialtjanst}},
	{"arbetsledare", "Arbetsledare IFO", "ifo", []trygg.Role{trygg.RoleArbetsledare}},
	{"lasare", "Ledamot individ- och familjenämnden", "ifn", []trygg.Role{trygg.RoleLasare}},
	{"admin", "Systemförvaltare Umeå kommun", "umea-kommun", []trygg.Role{trygg.RoleAdmin}},
	// SSPF (tidiga insatser): the coordinator and the team members.
	{"sspf", "SSPF-samordnare IFO", "ifo", []trygg.Role{trygg.RoleSSPF}},
	{"sspf.skola", "Kurator Ålidhemsskolan", "alidhemsskolan", []trygg.Role{trygg.RoleSSPFMember}},
	{"sspf.polis", "Kommunpolis SSPF", "polisen-umea", []trygg.Role{trygg.RoleSSPFMember}},
	{"sspf.fritid", "Fritidsledare Fritidsförvaltningen", "fritidsforvaltningen", []trygg.Role{trygg.RoleSSPFMember}},
	{"rapportor.gata", "Gator och parker Umeå kommun", "umea-kommun", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.alidhemsskolan", "Skolpersonal Ålidhemsskolan", "alidhemsskolan", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.ersbodaskolan", "Skolpersonal Ersbodaskolan", "ersbodaskolan", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.dragonskolan", "Skolpersonal Dragonskolan", "dragonskolan", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.bostaden", "Bovärd AB Bostaden", "bostaden", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.nattvandrarna", "Nattvandrare", "nattvandrarna", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.handlare", "Butiksansvarig Ålidhem centrum", "alidhem-centrum", []trygg.Role{trygg.RoleRapportor}},
	{"rapportor.vakt", "Ordningsvakt centrum", "centrumvakterna", []trygg.Role{trygg.RoleRapportor}},
	// The reviewers of welfare providers, one per unit with contracts.
	{"kontroll", "Leverantörskontroll Vård och omsorg", "vof", []trygg.Role{trygg.RoleKontroll}},
	{"kontroll.ifo", "Leverantörskontroll IFO", "ifo", []trygg.Role{trygg.RoleKontroll}},
	{"kontroll.skola", "Leverantörskontroll skola", "fsf", []trygg.Role{trygg.RoleKontroll}},
}

// Login is a demo account to print for the person trying the demo.
type Login struct {
	Role     trygg.Role
	Email    string
	Password string
}

// Logins returns one login per role, in the order of trygg.Roles.
func Logins() []Login {
	var out []Login
	for _, r := range trygg.Roles {
		for _, u := range slices.Concat(users, nightUsers()) {
			if len(u.roles) == 1 && u.roles[0] == r {
				out = append(out, Login{Role: r, Email: u.local + emailDomain, Password: Password})
				break
			}
		}
	}
	return out
}

// reporterOf returns the e-mail of the user who files an organisation's
// reports.
func reporterOf(org string) string {
	for _, u := range users {
		if u.org == org && (u.roles[0] == trygg.RoleRapportor || u.roles[0] == trygg.RolePolis || u.roles[0] == trygg.RoleSamordnare) {
			return u.local + emailDomain
		}
	}
	panic("demo: no reporter for organisation " + org)
}
