package web

import (
	"net/http"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
)

// sessionCookie is the cookie's name. With Secure, the __Host- prefix makes
// the browser refuse it unless it is Secure, host-only and for Path=/.
func (s *Server) sessionCookie() string {
	if s.cfg.SecureCookies {
		return "__Host-trygg_session"
	}
	return "trygg_session"
}

// findSession returns the request's valid session, or nil.
func (s *Server) findSession(r *http.Request) *trygg.Session {
	c, err := r.Cookie(s.sessionCookie())
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := s.cfg.Auth.FindSession(r.Context(), c.Value)
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EUNAUTHORIZED {
			s.logError(r, "find session", err)
		}
		return nil
	}
	if sess.User == nil || sess.User.DisabledAt != nil {
		return nil
	}
	return sess
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.sessionCookie(),
		Value:    token,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}

// flashes are the one-time messages shown after a redirect. The cookie holds
// only the key, so nothing a user typed travels in it.
var flashes = map[string]string{
	"report_saved":   "Rapporten är sparad.",
	"report_updated": "Ändringen är sparad.",
	"report_deleted": "Rapporten är raderad.",
	"signed_out":     "Du är utloggad.",
	"user_saved":     "Användaren är sparad.",
	"user_disabled":  "Användaren är inaktiverad och utloggad.",
	"org_saved":      "Organisationen är sparad.",
	"area_saved":     "Området är sparat.",
	"areas_imported": "Områdena är importerade.",
	"category_saved": "Kategorin är sparad.",
	"service_saved":  "Mottagaren är sparad.",

	"peer_group_saved": "Jämförelsegruppen är sparad.",
	"indicator_saved":  "Seriens inställningar är sparade.",
	"yearly_drafted":   "Utkastet är gjort ur uppgifterna.",
	"yearly_saved":     "Texterna är sparade.",
	"yearly_decided":   "Versionen är beslutad och ändras inte mer.",
	"yearly_published": "Versionen är publicerad.",

	"weekly_saved":     "Utkastet är sparat.",
	"weekly_published": "Veckorapporten är publicerad.",

	"agreement_saved":     "Överenskommelsen är sparad.",
	"document_saved":      "Det undertecknade dokumentet är sparat.",
	"commitment_saved":    "Åtagandet är sparat.",
	"update_saved":        "Uppdateringen är sparad.",
	"update_published":    "Publiceringen är ändrad.",
	"light_saved":         "Trafikljuset är sparat.",
	"values_saved":        "Mätvärdena är inlästa.",
	"value_saved":         "Mätvärdet är sparat.",
	"action_saved":        "Åtgärden är sparad.",
	"action_status_saved": "Åtgärdens status är sparad.",
	"calendar_revoked":    "Kalenderadressen är återkallad och fungerar inte längre.",
	"meeting_saved":       "Mötet är sparat.",
	"decision_saved":      "Beslutet är sparat.",
	"meeting_closed":      "Mötet är stängt och protokollet låst.",
	"notices_read":        "Besluten är markerade som lästa.",

	"ad_week_deleted":        "Veckan är borttagen.",
	"routine_document_saved": "Rutinens undertecknade dokument är sparat.",

	"concern_saved":      "Orosanmälan är registrerad.",
	"concern_step_saved": "Steget är registrerat.",

	"leverantor_check_saved":    "Kontrollen är registrerad.",
	"leverantor_decision_saved": "Beslutet är registrerat.",
	"leverantor_flag_saved":     "Flaggan är registrerad.",
	"leverantor_unit_saved":     "Enheten har lagts till.",
	"leverantor_imported":       "Importen är sparad.",
	"leverantor_rules_saved":    "Reglerna är sparade, och poängen är omräknade.",
	"leverantor_types_saved":    "Kontrolltyperna är sparade, och schemat är omräknat.",
	"tip_accepted":              "Tipset är godkänt och är nu en händelserapport.",
	"tip_merged":                "Tipset är sammanslaget.",
	"tip_rejected":              "Tipset är avvisat.",
	"tip_replied":               "Svaret är publicerat.",
	"tip_categories_saved":      "Kategorierna för tips är sparade.",
	"open311_revoked":           "Nyckeln är återkallad.",
	"sspf_saved":                "Ärendet är registrerat.",
	"sspf_shared":               "Uppgiften är delad med teamet.",
	"sspf_state_saved":          "Ärendets läge är ändrat.",
	"sspf_consent_saved":        "Samtycket och det undertecknade dokumentet är sparade.",
	"sspf_signature_saved":      "Underskriften är registrerad.",
	"sspf_withdrawn":            "Samtycket är återkallat. Det gäller från i dag.",
	"sspf_team_saved":           "Teamet är sparat.",
	"sspf_action_done":          "Åtgärden är markerad som klar.",
	// Issue 15: the night walks.
	"night_group_saved":       "Gruppen är sparad.",
	"night_walk_saved":        "Vandringen är planerad.",
	"night_volunteer_saved":   "Den frivillige är registrerad.",
	"night_volunteer_removed": "Personuppgifterna är borttagna. Tidigare vandringar finns kvar utan namn.",
	"night_training_saved":    "Utbildningen är registrerad.",
	"night_item_saved":        "Utrustningen är registrerad.",
	"night_item_lent":         "Utrustningen är utlånad.",
	"night_item_returned":     "Utrustningen är återlämnad.",
	"night_item_written_off":  "Utrustningen är avskriven.",
	"night_signed_up":         "Anmälan är registrerad.",
	"night_signup_cancelled":  "Anmälan är borttagen.",
	"night_walk_confirmed":    "Vandringen är bekräftad.",
	"night_walk_cancelled":    "Vandringen är inställd.",
	"night_log_filed":         "Loggen är inlämnad och iakttagelserna är rapporterade.",
	// the volunteers' own sign-up links
	"night_link_revoked":   "Länken för anmälan är återkallad och fungerar inte längre.",
	"night_self_signed_up": "Du är anmäld. Tack!",
	"night_self_cancelled": "Du är avanmäld.",
}

const flashCookie = "trygg_flash"

// redirectWithFlash redirects after a successful post (303, so that a reload
// does not post again) and shows the flash on the next page.
func (s *Server) redirectWithFlash(w http.ResponseWriter, r *http.Request, to, flash string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: flash, Path: "/", MaxAge: 120,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// takeFlash returns the pending flash message and clears it.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	return flashes[c.Value]
}

// localPath returns next if it is a path on this site, else "/". It refuses
// "//host" and "/\host", which browsers treat as other sites.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

type signInData struct {
	Email string
	Next  string
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	if sessionOf(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", view{Title: "Logga in",
		Data: signInData{Next: localPath(r.URL.Query().Get("next"))}})
}

// signIn checks the password and starts a new session with a new token. The
// browser's earlier session, if any, is ended, so a session id planted
// before sign-in is never promoted (session fixation).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	data := signInData{Email: email, Next: localPath(r.PostFormValue("next"))}
	var v trygg.Validation
	if email == "" {
		v.Add("email", "Ange din e-postadress.")
	}
	if r.PostFormValue("password") == "" {
		v.Add("password", "Ange ditt lösenord.")
	}
	if err := v.Err(); err != nil {
		s.renderForm(w, r, "login", view{Title: "Logga in", Data: data}, err)
		return
	}
	sess, err := s.cfg.Auth.SignIn(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		switch trygg.ErrorCode(err) {
		case trygg.EUNAUTHORIZED, trygg.ERATELIMIT, trygg.EINVALID:
			s.renderForm(w, r, "login", view{Title: "Logga in", Data: data}, err)
		default:
			s.error(w, r, err)
		}
		return
	}
	if old, err := r.Cookie(s.sessionCookie()); err == nil && old.Value != "" {
		if err := s.cfg.Auth.SignOut(r.Context(), old.Value); err != nil && trygg.ErrorCode(err) != trygg.EUNAUTHORIZED {
			s.logError(r, "end old session", err)
		}
	}
	s.setSessionCookie(w, sess.Token, 0)
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(s.sessionCookie())
	if err == nil {
		if err := s.cfg.Auth.SignOut(r.Context(), c.Value); err != nil && trygg.ErrorCode(err) != trygg.EUNAUTHORIZED {
			s.error(w, r, err)
			return
		}
	}
	s.setSessionCookie(w, "", -1)
	s.redirectWithFlash(w, r, "/logga-in", "signed_out")
}

// home sends each user to the page their role starts from, and a visitor
// who is not signed in to the public front door.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u := trygg.UserFromContext(r.Context())
	if u == nil {
		// Visitors who are not signed in get the public front door.
		s.publicCache(s.front)(w, r)
		return
	}
	var to string
	switch {
	case u.Has(trygg.RoleSamordnare):
		// The situational picture is what the coordinator works from.
		to = "/lagesbild"
	case !concern.InRegister(u) && s.receivesServices(r):
		// The staff of a receiving service, such as the KAST reception,
		// work from its reception page; social services' register users
		// keep the register.
		to = "/operativ/mottagning"
	case u.Has(trygg.RoleRapportor, trygg.RolePolis):
		to = "/rapporter/ny"
	case u.Has(trygg.RoleAdmin):
		to = "/admin/anvandare"
	case concern.InRegister(u):
		to = "/orosanmalningar"
	case u.Has(trygg.RoleLasare):
		to = "/lagesbild"
	case u.Has(overviewRoles...):
		to = "/oversikt"
	case u.Has(leverantorRoles...):
		to = "/leverantorer"
	case u.Has(sspfRoles...):
		to = "/tidiga-insatser"
	case u.Has(trygg.RoleNattvandrare): // issue 15: a group leader works from the group
		to = "/nattvandring"
	default:
		// An account whose roles have no pages here says so.
		s.renderStatus(w, r, http.StatusForbidden, "Inga sidor för din roll",
			"Ditt konto har ingen roll som ger tillgång till sidorna i Trygg. Kontakta administratören om det är fel.")
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
