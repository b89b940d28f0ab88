package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
)

// A volunteer's own sign-up, with a personal link instead of an account
// (nattvandring/selfsignup.go). The token is stored as its SHA-256, as API
// tokens and sessions are; unknown tokens count as failures in the
// sign-in's rate limit table, per client address, with their own key.

// volunteerRole is the audit log's role for a change a volunteer made with
// the sign-up link: the actor is the volunteer record (named in the
// entry's detail), not a user.
const volunteerRole = trygg.Role("nattvandring_frivillig")

var errLinkRateLimited = &trygg.Error{Code: trygg.ERATELIMIT,
	Message: "För många försök med länkar som inte finns. Vänta en stund och försök igen."}

// linkHolder is the volunteer a sign-up link belongs to.
type linkHolder struct {
	volunteerID, groupID, orgID int64
}

// actor is the volunteer, in the group's organisation.
func (h linkHolder) actor() actor {
	org := h.orgID
	return actor{role: volunteerRole, orgID: &org}
}

// withLink runs fn in one transaction for the active volunteer whose link
// token is. An unknown token counts as a failure for the client's address
// and answers ENOTFOUND; too many failures answer ERATELIMIT, for every
// token, until the window has passed.
func (s *NattvandringService) withLink(ctx context.Context, token string, fn func(tx *Tx, h linkHolder) error) error {
	ipKey := ""
	if ip := trygg.ClientFromContext(ctx).IP; ip != "" {
		ipKey = sha256Hex("nattvandring-lank-ip:" + ip)
		n, err := s.db.countFailures(ctx, ipKey, s.db.Now())
		if err != nil {
			return err
		}
		if n >= maxIPFailures {
			return errLinkRateLimited
		}
	}
	found := false
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		var h linkHolder
		err := tx.QueryRowContext(ctx, `SELECT l.volunteer_id, v.group_id, g.org_id FROM nattvandring_signup_links l
			JOIN nattvandring_volunteers v ON v.id = l.volunteer_id JOIN nattvandring_groups g ON g.id = v.group_id
			WHERE l.token_hash = $1 AND v.removed_at IS NULL`, sha256Hex(token)).Scan(&h.volunteerID, &h.groupID, &h.orgID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return fn(tx, h)
	})
	if err != nil || found {
		return err
	}
	if err := s.db.inWrite(ctx, func(tx *Tx) error { return recordFailure(ctx, tx, ipKey) }); err != nil {
		return err
	}
	return trygg.NotFound()
}

// CreateSignUpLink makes a volunteer's sign-up link, replacing the old one.
func (s *NattvandringService) CreateSignUpLink(ctx context.Context, volunteerID int64) (string, error) {
	c := caller(ctx)
	token, err := randomToken(32)
	if err != nil {
		return "", err
	}
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		if err := s.leaderOfVolunteer(ctx, tx, c, volunteerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM nattvandring_signup_links WHERE volunteer_id = $1", volunteerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_signup_links (volunteer_id, token_hash, created_at) VALUES ($1, $2, $3)",
			volunteerID, sha256Hex(token), millis(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectVolunteer,
			objectID: objectID(volunteerID), detail: "ny anmälningslänk"})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeSignUpLink deletes a volunteer's sign-up link.
func (s *NattvandringService) RevokeSignUpLink(ctx context.Context, volunteerID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		if err := s.leaderOfVolunteer(ctx, tx, c, volunteerID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM nattvandring_signup_links WHERE volunteer_id = $1", volunteerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectVolunteer,
			objectID: objectID(volunteerID), detail: "anmälningslänk återkallad"})
	})
}

// leaderOfVolunteer checks that the caller leads the group of an active
// volunteer; ENOTFOUND otherwise.
func (s *NattvandringService) leaderOfVolunteer(ctx context.Context, tx *Tx, c identity, volunteerID int64) error {
	groupID, removed, err := volunteerGroup(ctx, tx, c, volunteerID)
	if err != nil {
		return err
	}
	if _, err := s.leaderTx(ctx, tx, c, groupID); err != nil {
		return err
	}
	if removed {
		return c.denied()
	}
	return nil
}

// VolunteerPage returns the link holder's first name and the group's
// upcoming published walks.
func (s *NattvandringService) VolunteerPage(ctx context.Context, token string) (*nattvandring.VolunteerPage, error) {
	var page *nattvandring.VolunteerPage
	err := s.withLink(ctx, token, func(tx *Tx, h linkHolder) error {
		vs, err := s.loadVolunteers(ctx, tx, "v.id = $1", h.volunteerID)
		if err != nil {
			return err
		}
		if len(vs) != 1 {
			return trygg.NotFound()
		}
		page = &nattvandring.VolunteerPage{VolunteerID: h.volunteerID, FirstName: nattvandring.FirstName(vs[0].Name)}
		if err := tx.QueryRowContext(ctx, "SELECT name FROM nattvandring_groups WHERE id = $1", h.groupID).Scan(&page.GroupName); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT w.id, w.walk_date, w.start_min, w.end_min, w.meeting_point, w.status,
			(SELECT count(*) FROM nattvandring_signups s WHERE s.walk_id = w.id AND s.volunteer_id = $1)
			FROM nattvandring_walks w WHERE w.group_id = $2 AND w.published = 1 AND w.status IN ('planerad', 'bekraftad')
			AND w.walk_date >= $3 ORDER BY w.walk_date, w.start_min, w.id`, h.volunteerID, h.groupID, int64(today(tx)))
		if err != nil {
			return err
		}
		for rows.Next() {
			var w nattvandring.OwnWalk
			var date int64
			var signed int
			if err := rows.Scan(&w.ID, &date, &w.Start, &w.End, &w.MeetingPoint, &w.Status, &signed); err != nil {
				rows.Close()
				return err
			}
			w.Date, w.SignedUp = trygg.Day(date), signed > 0
			page.Walks = append(page.Walks, &w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, w := range page.Walks {
			if w.Districts, err = queryColumn[string](ctx, tx, "SELECT area_code FROM nattvandring_walk_districts WHERE walk_id = $1 ORDER BY area_code", w.ID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, h.actor(), auditEntry{action: trygg.AuditRead, objectType: objectVolunteer,
			objectID: objectID(h.volunteerID), detail: "egen anmälningssida"})
	})
	return page, err
}

// ownWalk loads, for the link holder, an upcoming published walk of the
// group: its ID, group, day and status. ENOTFOUND for any other walk.
func ownWalk(ctx context.Context, tx *Tx, h linkHolder, walkID int64) (*nattvandring.Walk, error) {
	w := nattvandring.Walk{ID: walkID, GroupID: h.groupID}
	var date int64
	err := tx.QueryRowContext(ctx, `SELECT walk_date, status FROM nattvandring_walks
		WHERE id = $1 AND group_id = $2 AND published = 1 AND walk_date >= $3`, walkID, h.groupID, int64(today(tx))).Scan(&date, &w.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, trygg.NotFound()
	}
	w.Date = trygg.Day(date)
	return &w, err
}

// SelfSignUp signs the link holder up, by the leaders' rule.
func (s *NattvandringService) SelfSignUp(ctx context.Context, token string, walkID int64) error {
	return s.withLink(ctx, token, func(tx *Tx, h linkHolder) error {
		w, err := ownWalk(ctx, tx, h, walkID)
		if err != nil {
			return err
		}
		return s.signUpTx(ctx, tx, h.actor(), w, h.volunteerID, true)
	})
}

// SelfCancelSignUp takes the link holder off a walk.
func (s *NattvandringService) SelfCancelSignUp(ctx context.Context, token string, walkID int64) error {
	return s.withLink(ctx, token, func(tx *Tx, h linkHolder) error {
		w, err := ownWalk(ctx, tx, h, walkID)
		if err != nil {
			return err
		}
		return cancelSignUpTx(ctx, tx, h.actor(), w, h.volunteerID)
	})
}
