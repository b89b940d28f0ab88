package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/demo"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/remind"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sspf"
	"github.com/trygg-est/trygg/web"
)

// Server timeouts. Reads and writes are bounded so that a slow client
// cannot hold a connection forever; exports stream for a while, hence the
// generous write timeout.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 5 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 20 * time.Second
)

func defineServe(fs *flag.FlagSet) action {
	dbURL := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "adress och port att lyssna på; :0 väljer en ledig port")
	withDemo := fs.Bool("demo", false, "fyll en tom databas med demodata och skriv ut demoinloggningarna")
	seed := fs.Uint64("demo-seed", 1, "frö för demodata; samma frö ger samma data")
	secure := &autoBool{}
	fs.Var(secure, "secure-cookies", "sätt Secure på kakor: true, false eller auto (true utom när servern lyssnar på loopback)")
	trustProxy := fs.Bool("trust-proxy", false, "lita på X-Forwarded-For och X-Forwarded-Proto från en omvänd proxy")
	level := fs.String("log-level", "info", "loggnivå: debug, info, warn eller error")
	contact := fs.String("accessibility-contact", "", "e-post eller webbadress dit tillgänglighetsbrister rapporteras")
	operatorName := fs.String("operator", "kommunen", "vem som driver Trygg, i sidfoten på varje sida (till exempel Umeå kommun)")
	operatorContact := fs.String("operator-contact", "", "e-post eller webbadress dit allmänheten vänder sig, i sidfoten; tomt: --accessibility-contact")
	registerKey := registerKeyFlags(fs, "", "registernyckeln (personregistren)")
	registerOldKey := registerKeyFlags(fs, "old-", "den gamla registernyckeln, som behövs bara under ett nyckelbyte (registers rekey)")
	smtpAddr := fs.String("smtp-addr", "", "SMTP-relä (värd:port) för påminnelser och veckosammanfattning per e-post; tomt: ingen e-post")
	smtpFrom := fs.String("smtp-from", "", "avsändaradressen för e-post (krävs med --smtp-addr)")
	smtpTLS := fs.String("smtp-tls", string(remind.StartTLS), "TLS mot SMTP-reläet: starttls (när reläet erbjuder det), implicit (TLS från början, som på port 465) eller none")
	smtpUser := fs.String("smtp-user", "", "användarnamn för SMTP AUTH PLAIN, som bara skickas över TLS; tomt: ingen inloggning")
	smtpPassword := fs.String("smtp-password", "", "lösenordet till --smtp-user; ge det helst i TRYGG_SMTP_PASSWORD")
	publicURL := fs.String("public-url", "", "webbplatsens adress för länkar i e-post, till exempel https://trygg.umea.se (krävs med --smtp-addr)")
	sspfMonths := fs.Int("sspf-consent-months", sspf.DefaultValidityMonths, "SSPF: hur många månader ett samtycke längst får gälla")
	nightTraining := fs.String("nattvandring-training-months", "", "nattvandring: hur länge utbildningar gäller, utbildning=månader åtskilda med komma (introduktion, forsta_hjalpen, konflikthantering); tomt: 36, 24 och 36 månader")
	sspfGrounds := fs.String("sspf-legal-grounds", "", "SSPF: rättsliga grunder för att dela utan samtycke, kod=Benämning eller kod=Benämning|/länk, åtskilda med semikolon; tomt: standardlistan (docs/sspf.md)")
	return func(ctx context.Context, c *cli, _ []string) error {
		var lvl slog.Level
		if err := lvl.UnmarshalText([]byte(*level)); err != nil {
			return usageErrorf("ogiltig loggnivå %q: välj debug, info, warn eller error", *level)
		}
		grounds, err := sspf.ParseLegalGrounds(*sspfGrounds)
		if err != nil {
			return usageErrorf("%s", trygg.ErrorMessage(err))
		}
		nightValidity, err := nattvandring.ParseValidity(*nightTraining)
		if err != nil {
			return usageErrorf("--nattvandring-training-months: %v", err)
		}
		if *sspfMonths < 1 || *sspfMonths > 60 {
			return usageErrorf("--sspf-consent-months ska vara från 1 till 60")
		}
		mailer := &remind.SMTP{Addr: *smtpAddr, From: *smtpFrom, User: *smtpUser, Password: *smtpPassword}
		if err := checkSMTP(mailer, *smtpTLS, *publicURL); err != nil {
			return err
		}
		return c.serve(ctx, serveOptions{
			dbURL: *dbURL, addr: *addr, demo: *withDemo, seed: *seed,
			secureCookies: secure, trustProxy: *trustProxy, logLevel: lvl, accessibilityContact: *contact,
			operator: *operatorName, operatorContact: *operatorContact,
			registerKey: registerKey, registerOldKey: registerOldKey, mailer: mailer, publicURL: *publicURL,
			sspfMonths: *sspfMonths, sspfGrounds: grounds, nightValidity: nightValidity,
		})
	}
}

type serveOptions struct {
	nightValidity        nattvandring.Validity
	sspfMonths           int
	sspfGrounds          []sspf.LegalGround
	dbURL, addr          string
	demo                 bool
	seed                 uint64
	secureCookies        *autoBool
	trustProxy           bool
	logLevel             slog.Level
	accessibilityContact string
	operator             string
	operatorContact      string
	registerKey          *registerKeyOptions
	registerOldKey       *registerKeyOptions
	mailer               *remind.SMTP // Addr "": no e-mail
	publicURL            string
}

// checkSMTP checks the e-mail flags when --smtp-addr is set, and sets the
// mailer's TLS mode: the mails need a sender and absolute links, and a
// password goes only over TLS.
func checkSMTP(m *remind.SMTP, tlsMode, publicURL string) error {
	if m.Addr == "" {
		return nil
	}
	if m.From == "" {
		return usageErrorf("ange avsändaradressen med --smtp-from när --smtp-addr är satt")
	}
	if u, err := url.Parse(publicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return usageErrorf("ange webbplatsens fullständiga adress med --public-url (till exempel https://trygg.umea.se) när --smtp-addr är satt; länkarna i e-posten behöver den")
	}
	mode, err := remind.ParseTLSMode(tlsMode)
	if err != nil {
		return usageErrorf("ogiltigt --smtp-tls %q: välj starttls, implicit eller none", tlsMode)
	}
	m.TLS = mode
	switch {
	case (m.User == "") != (m.Password == ""):
		return usageErrorf("ange både --smtp-user och --smtp-password (eller TRYGG_SMTP_PASSWORD), eller ingen av dem")
	case m.User != "" && mode == remind.NoTLS:
		return usageErrorf("--smtp-user kräver TLS: lösenordet skickas aldrig okrypterat, så välj --smtp-tls starttls eller implicit")
	}
	return nil
}

func (c *cli) serve(ctx context.Context, o serveOptions) error {
	logger := newLogger(c.Stderr, c.StderrIsTerminal, o.logLevel)
	db, err := c.openDB(ctx, o.dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := applyRegisterKey(db, o.registerKey, o.registerOldKey, o.demo, logger); err != nil {
		return err
	}
	var logins []demo.Login
	if o.demo {
		if logins, err = c.loadDemo(ctx, db, o.seed, logger); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("kan inte lyssna på %s: %w", o.addr, err)
	}
	defer ln.Close()

	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	services := sqldb.NewServices(db)
	if s, ok := services.SSPF.(*sqldb.SSPFService); ok && o.sspfMonths > 0 {
		s.Months, s.Grounds = o.sspfMonths, o.sspfGrounds
	}
	if s, ok := services.Nattvandring.(*sqldb.NattvandringService); ok && o.nightValidity != nil {
		s.Validity = o.nightValidity
	}
	handler, err := web.NewServer(web.Config{
		Services:             services,
		Ready:                func(r *http.Request) error { return db.Ping(r.Context()) },
		Logger:               logger,
		Registry:             registry,
		Clock:                c.Now,
		SecureCookies:        o.secureCookies.resolve(!isLoopback(ln.Addr())),
		TrustProxy:           o.trustProxy,
		AccessibilityContact: o.accessibilityContact,
		Operator:             o.operator,
		OperatorContact:      o.operatorContact,
		Demo:                 o.demo,
	})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(c.Stdout, "Trygg körs på %s\n", browseURL(ln.Addr()))
	printDemoLogins(c.Stdout, logins)
	logger.Info("server started", "addr", ln.Addr().String(), "db", db.Dialect())
	reminders := startReminders(ctx, db, o, c.Now, logger)

	select {
	case err := <-served:
		return fmt.Errorf("servern stannade: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	// The signal context is done; shutdown gets a fresh deadline of its own
	// so that requests in flight can finish.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("kunde inte stänga servern i tid: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-reminders
	if err := db.Close(); err != nil {
		return fmt.Errorf("stäng databasen: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// reminderInterval is how often an instance looks for reminder jobs to
// queue and queued mails to send; each job runs once per day or week
// across all instances, and each mail is sent once.
const reminderInterval = time.Minute

// startReminders sends the e-mail reminders in the background when
// --smtp-addr is set. The returned channel closes when it has stopped
// (after ctx ends).
func startReminders(ctx context.Context, db *sqldb.DB, o serveOptions, now trygg.Clock, logger *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if o.mailer.Addr == "" {
		close(done)
		return done
	}
	o.mailer.Now = now
	r := &remind.Runner{Store: sqldb.NewReminderService(db), Now: now, BaseURL: o.publicURL, Log: logger, Mailer: o.mailer, SSPF: db,
		Walks: sqldb.NewNattvandringService(db)}
	go func() {
		defer close(done)
		r.Run(ctx, reminderInterval)
	}()
	return done
}

// newLogger logs JSON for log collectors, or text for a person at a
// terminal.
func newLogger(w io.Writer, terminal bool, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if terminal {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// browseURL is the address to open in a browser: the bound port, and
// localhost when the server listens on every interface.
func browseURL(a net.Addr) string {
	host, port := "localhost", ""
	if ta, ok := a.(*net.TCPAddr); ok {
		port = strconv.Itoa(ta.Port)
		if !ta.IP.IsUnspecified() {
			host = ta.IP.String()
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// autoBool is a boolean flag that may also be "auto", the default, which
// leaves the choice to the program.
type autoBool struct {
	set, value bool
}

func (b *autoBool) String() string {
	if b == nil || !b.set {
		return "auto"
	}
	return strconv.FormatBool(b.value)
}

func (b *autoBool) Set(s string) error {
	if s == "auto" {
		*b = autoBool{}
		return nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("välj true, false eller auto")
	}
	*b = autoBool{set: true, value: v}
	return nil
}

// IsBoolFlag lets "--secure-cookies" stand alone for true.
func (b *autoBool) IsBoolFlag() bool { return true }

func (b *autoBool) resolve(auto bool) bool {
	if b.set {
		return b.value
	}
	return auto
}
