package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
)

// YearlyService implements indikator.YearlyService.
type YearlyService struct{ db *DB }

// NewYearlyService returns the yearly document service on db.
func NewYearlyService(db *DB) *YearlyService { return &YearlyService{db: db} }

// readsYearly: the drafts hold report counts unwithheld, so those who read
// counts (samordnare, polis, läsare) read them; the admin is a technical
// role and does not.
func readsYearly(c identity) bool {
	return c.operator || c.user.Has(trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare)
}

const yearlyColumns = `y.id, y.year, y.version, y.status, y.content, y.sha256, y.updated_at, y.decided_at, COALESCE(u.name, ''), y.published_at`

const yearlyFrom = ` FROM yearly_plans y LEFT JOIN users u ON u.id = y.decided_by`

func scanYearly(row interface{ Scan(...any) error }) (*indikator.Yearly, error) {
	var y indikator.Yearly
	var content string
	var updated int64
	var decided, published sql.NullInt64
	if err := row.Scan(&y.ID, &y.Year, &y.Version, &y.Status, &content, &y.SHA256, &updated, &decided, &y.DecidedBy, &published); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &y.Content); err != nil {
		return nil, fmt.Errorf("yearly plan %d: %w", y.ID, err)
	}
	y.UpdatedAt, y.DecidedAt, y.PublishedAt = fromMillis(updated), timePtr(decided), timePtr(published)
	return &y, nil
}

func findYearly(ctx context.Context, q queryer, year, version int) (*indikator.Yearly, error) {
	query, args := "SELECT "+yearlyColumns+yearlyFrom+" WHERE y.year = $1 ORDER BY y.version DESC LIMIT 1", []any{year}
	if version > 0 {
		query, args = "SELECT "+yearlyColumns+yearlyFrom+" WHERE y.year = $1 AND y.version = $2", []any{year, version}
	}
	y, err := scanYearly(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	return y, err
}

// FindYearlies lists every version, newest first. Samordnare, polis,
// läsare.
func (s *YearlyService) FindYearlies(ctx context.Context) ([]*indikator.Yearly, error) {
	c := caller(ctx)
	if !readsYearly(c) {
		return nil, c.denied()
	}
	var out []*indikator.Yearly
	err := eachRow(ctx, s.db.read, "SELECT "+yearlyColumns+yearlyFrom+" ORDER BY y.year DESC, y.version DESC", nil,
		func(row interface{ Scan(...any) error }) error {
			y, err := scanYearly(row)
			out = append(out, y)
			return err
		})
	return out, err
}

// FindYearly returns a version (0: the newest). Samordnare, polis, läsare.
func (s *YearlyService) FindYearly(ctx context.Context, year, version int) (*indikator.Yearly, error) {
	c := caller(ctx)
	if !readsYearly(c) {
		return nil, c.denied()
	}
	return findYearly(ctx, s.db.read, year, version)
}

// SaveYearlyDraft stores the year's draft. Samordnare and the operator.
func (s *YearlyService) SaveYearlyDraft(ctx context.Context, year int, content indikator.YearlyContent) (*indikator.Yearly, error) {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return nil, c.denied()
	}
	if !indikator.ValidYear(year) {
		var v trygg.Validation
		v.Add("year", "Ange ett år från 2023, när lagen började gälla.")
		return nil, v.Err()
	}
	texts := indikator.YearlyTexts{Summary: content.Summary, Causes: content.Causes, Priority: content.Priority, FollowUp: content.FollowUp}
	if err := texts.Validate(); err != nil {
		return nil, err
	}
	texts.Apply(&content)
	content.Year = year
	data, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	var out *indikator.Yearly
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		now := millis(tx.now)
		by := userID(c)
		newest, err := findYearly(ctx, tx, year, 0)
		var id int64
		switch {
		case err == nil && newest.Status == indikator.YearlyDraft:
			id = newest.ID
			if _, err := tx.ExecContext(ctx, "UPDATE yearly_plans SET content = $1, updated_at = $2, updated_by = $3 WHERE id = $4 AND status = 'utkast'",
				string(data), now, by, id); err != nil {
				return err
			}
		case err == nil || trygg.ErrorCode(err) == trygg.ENOTFOUND:
			version := 1
			if newest != nil {
				version = newest.Version + 1
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO yearly_plans (year, version, status, content, created_at, updated_at, updated_by)
				VALUES ($1, $2, 'utkast', $3, $4, $4, $5) RETURNING id`, year, version, string(data), now, by).Scan(&id); err != nil {
				return err
			}
		default:
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "yearly_plan", objectID: objectID(id),
			detail: fmt.Sprintf("utkast %d", year)}); err != nil {
			return err
		}
		out, err = scanYearly(tx.QueryRowContext(ctx, "SELECT "+yearlyColumns+yearlyFrom+" WHERE y.id = $1", id))
		return err
	})
	return out, err
}

func userID(c identity) sql.NullInt64 {
	if c.user == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: c.user.ID, Valid: true}
}

// DecideYearly marks a draft decided and seals its content. Samordnare.
func (s *YearlyService) DecideYearly(ctx context.Context, year, version int) (*indikator.Yearly, error) {
	return s.advance(ctx, year, version, indikator.YearlyDraft, indikator.YearlyDecided)
}

// PublishYearly publishes a decided version. Samordnare.
func (s *YearlyService) PublishYearly(ctx context.Context, year, version int) (*indikator.Yearly, error) {
	return s.advance(ctx, year, version, indikator.YearlyDecided, indikator.YearlyPublished)
}

func (s *YearlyService) advance(ctx context.Context, year, version int, from, to indikator.YearlyStatus) (*indikator.Yearly, error) {
	c := caller(ctx)
	if !managesSamverkan(c) {
		return nil, c.denied()
	}
	var out *indikator.Yearly
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		y, err := findYearly(ctx, tx, year, version)
		if err != nil {
			return err
		}
		if y.Status != from {
			return trygg.Errorf(trygg.ECONFLICT, "Versionen är %s och kan inte bli %s.", strings.ToLower(y.Status.Label()), strings.ToLower(to.Label()))
		}
		now := millis(tx.now)
		detail := "beslutad"
		if to == indikator.YearlyDecided {
			var content string
			if err := tx.QueryRowContext(ctx, "SELECT content FROM yearly_plans WHERE id = $1", y.ID).Scan(&content); err != nil {
				return err
			}
			sum := sha256.Sum256([]byte(content))
			hash := hex.EncodeToString(sum[:])
			detail += " sha256=" + hash
			_, err = tx.ExecContext(ctx, "UPDATE yearly_plans SET status = 'beslutad', sha256 = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND status = 'utkast'",
				hash, now, userID(c), y.ID)
		} else {
			detail = "publicerad"
			_, err = tx.ExecContext(ctx, "UPDATE yearly_plans SET status = 'publicerad', published_at = $1 WHERE id = $2 AND status = 'beslutad'", now, y.ID)
		}
		if err != nil {
			return err
		}
		if err := tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: "yearly_plan", objectID: objectID(y.ID),
			detail: fmt.Sprintf("%d version %d %s", y.Year, y.Version, detail)}); err != nil {
			return err
		}
		out, err = scanYearly(tx.QueryRowContext(ctx, "SELECT "+yearlyColumns+yearlyFrom+" WHERE y.id = $1", y.ID))
		return err
	})
	return out, err
}

// PublicYearly returns the newest published version of year, or of every
// year (year 0), with the content withheld for the public. Anyone.
func (s *YearlyService) PublicYearly(ctx context.Context, year int) ([]*indikator.Yearly, error) {
	q, args := `SELECT `+yearlyColumns+yearlyFrom+` WHERE y.status = 'publicerad' AND y.version = (SELECT MAX(p.version) FROM yearly_plans p
		WHERE p.year = y.year AND p.status = 'publicerad')`, []any{}
	if year != 0 {
		q, args = q+" AND y.year = $1", append(args, year)
	}
	var out []*indikator.Yearly
	err := eachRow(ctx, s.db.read, q+" ORDER BY y.year DESC", args, func(row interface{ Scan(...any) error }) error {
		y, err := scanYearly(row)
		if err != nil {
			return err
		}
		y.Content, y.DecidedBy = y.Content.ForPublic(), ""
		out = append(out, y)
		return nil
	})
	if err == nil && year != 0 && len(out) == 0 {
		return nil, trygg.NotFound()
	}
	return out, err
}
