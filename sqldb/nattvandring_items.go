package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/samverkan"
)

// loadLoans reads the loans matching where, with names when names.
func (s *NattvandringService) loadLoans(ctx context.Context, q queryer, names bool, where string, args ...any) ([]*nattvandring.Loan, []int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.item_id, i.label, l.volunteer_id, l.lent_on, l.due_on, l.returned_on
		FROM nattvandring_loans l JOIN nattvandring_items i ON i.id = l.item_id WHERE `+where+
		" ORDER BY l.returned_on IS NOT NULL, l.due_on, l.id", args...)
	if err != nil {
		return nil, nil, err
	}
	var loans []*nattvandring.Loan
	var ids []int64
	for rows.Next() {
		var l nattvandring.Loan
		var lent, due int64
		var returned sql.NullInt64
		if err := rows.Scan(&l.ID, &l.ItemID, &l.ItemLabel, &l.VolunteerID, &lent, &due, &returned); err != nil {
			rows.Close()
			return nil, nil, err
		}
		l.LentOn, l.DueOn, l.ReturnedOn = trygg.Day(lent), trygg.Day(due), trygg.Day(returned.Int64)
		loans = append(loans, &l)
		ids = append(ids, l.VolunteerID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if !names || len(loans) == 0 {
		return loans, nil, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	args2 := anySlice(ids)
	vs, err := s.loadVolunteers(ctx, q, "v.id IN ("+placeholders(1, len(ids))+")", args2...)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]string{}
	for _, v := range vs {
		byID[v.ID] = v.DisplayName()
	}
	for _, l := range loans {
		l.VolunteerName = byID[l.VolunteerID]
	}
	return loans, ids, nil
}

// FindLoans returns a group's loans, open ones first; the read of names
// is audited.
func (s *NattvandringService) FindLoans(ctx context.Context, groupID int64) ([]*nattvandring.Loan, error) {
	c := caller(ctx)
	var loans []*nattvandring.Loan
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := s.leaderTx(ctx, tx, c, groupID); err != nil {
			return err
		}
		var ids []int64
		var err error
		if loans, ids, err = s.loadLoans(ctx, tx, true, "i.group_id = $1", groupID); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return auditNames(ctx, tx, c, "lån i grupp "+objectID(groupID), ids)
	})
	return loans, err
}

// FindItems returns a group's equipment with the open loans.
func (s *NattvandringService) FindItems(ctx context.Context, groupID int64) ([]*nattvandring.Item, error) {
	c := caller(ctx)
	var items []*nattvandring.Item
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := s.leaderTx(ctx, tx, c, groupID); err != nil {
			return err
		}
		var err error
		items, err = s.itemsTx(ctx, tx, "group_id = $1", groupID)
		if err != nil {
			return err
		}
		loans, ids, err := s.loadLoans(ctx, tx, true, "i.group_id = $1 AND l.returned_on IS NULL", groupID)
		if err != nil {
			return err
		}
		open := map[int64]*nattvandring.Loan{}
		for _, l := range loans {
			open[l.ItemID] = l
		}
		for _, it := range items {
			it.Loan = open[it.ID]
		}
		if len(ids) == 0 {
			return nil
		}
		return auditNames(ctx, tx, c, "utrustning i grupp "+objectID(groupID), ids)
	})
	return items, err
}

func (s *NattvandringService) itemsTx(ctx context.Context, q queryer, where string, args ...any) ([]*nattvandring.Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, group_id, kind, size, label, written_off_on, write_off_reason
		FROM nattvandring_items WHERE `+where+" ORDER BY written_off_on IS NOT NULL, kind, label, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []*nattvandring.Item
	for rows.Next() {
		var it nattvandring.Item
		var off sql.NullInt64
		if err := rows.Scan(&it.ID, &it.GroupID, &it.Kind, &it.Size, &it.Label, &off, &it.WriteOffReason); err != nil {
			return nil, err
		}
		it.WrittenOffOn = trygg.Day(off.Int64)
		items = append(items, &it)
	}
	return items, rows.Err()
}

// AddItem adds equipment to a group.
func (s *NattvandringService) AddItem(ctx context.Context, groupID int64, in nattvandring.ItemInput) (*nattvandring.Item, error) {
	c := caller(ctx)
	var it *nattvandring.Item
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		if _, err := s.leaderTx(ctx, tx, c, groupID); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		it = &nattvandring.Item{GroupID: groupID, Kind: in.Kind, Size: in.Size, Label: in.Label}
		if err := tx.QueryRowContext(ctx, `INSERT INTO nattvandring_items (group_id, kind, size, label, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, groupID, in.Kind, in.Size, in.Label, millis(tx.now)).Scan(&it.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditCreate, objectType: objectItem, objectID: objectID(it.ID)})
	})
	return it, err
}

// leaderItem loads an item for a change by its group's leaders, with
// whether it is lent out.
func (s *NattvandringService) leaderItem(ctx context.Context, tx *Tx, c identity, itemID int64) (*nattvandring.Item, bool, error) {
	items, err := s.itemsTx(ctx, tx, "id = $1", itemID)
	if err != nil {
		return nil, false, err
	}
	if len(items) == 0 {
		return nil, false, c.denied()
	}
	if _, err := s.leaderTx(ctx, tx, c, items[0].GroupID); err != nil {
		return nil, false, err
	}
	var open int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM nattvandring_loans WHERE item_id = $1 AND returned_on IS NULL", itemID).Scan(&open); err != nil {
		return nil, false, err
	}
	return items[0], open > 0, nil
}

// LendItem lends an item to a volunteer of its group.
func (s *NattvandringService) LendItem(ctx context.Context, itemID, volunteerID int64, due trygg.Day) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		it, out, err := s.leaderItem(ctx, tx, c, itemID)
		if err != nil {
			return err
		}
		var v trygg.Validation
		switch {
		case it.WrittenOffOn != 0:
			v.Add("item", "%s är avskriven.", it.Label)
		case out:
			v.Add("item", "%s är redan utlånad.", it.Label)
		}
		var groupID int64
		var removed sql.NullInt64
		err = tx.QueryRowContext(ctx, "SELECT group_id, removed_at FROM nattvandring_volunteers WHERE id = $1", volunteerID).Scan(&groupID, &removed)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (groupID != it.GroupID || removed.Valid)) {
			v.Add("volunteer", "Välj en person i gruppen.")
		} else if err != nil {
			return err
		}
		lentOn := today(tx)
		if c.operator && due != 0 && due < lentOn {
			// The operator records a loan already overdue (the demo, an
			// import of a group's lists): lent a week before it was due.
			lentOn = due - 7
		} else {
			for _, f := range trygg.ErrorFields(nattvandring.CheckLoan(due, today(tx))) {
				v.Add(f.Field, "%s", f.Message)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO nattvandring_loans (item_id, volunteer_id, lent_on, due_on) VALUES ($1, $2, $3, $4)",
			itemID, volunteerID, int64(lentOn), int64(due)); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectItem, objectID: objectID(itemID),
			detail: "utlånad till frivillig " + objectID(volunteerID)})
	})
}

// ReturnItem ends the item's open loan today.
func (s *NattvandringService) ReturnItem(ctx context.Context, itemID int64) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		it, out, err := s.leaderItem(ctx, tx, c, itemID)
		if err != nil {
			return err
		}
		if !out {
			var v trygg.Validation
			v.Add("item", "%s är inte utlånad.", it.Label)
			return v.Err()
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_loans SET returned_on = $1 WHERE item_id = $2 AND returned_on IS NULL",
			int64(today(tx)), itemID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectItem, objectID: objectID(itemID), detail: "återlämnad"})
	})
}

// WriteOffItem writes an item off with a reason; an open loan ends with it.
func (s *NattvandringService) WriteOffItem(ctx context.Context, itemID int64, reason string) error {
	c := caller(ctx)
	return s.db.inWrite(ctx, func(tx *Tx) error {
		it, _, err := s.leaderItem(ctx, tx, c, itemID)
		if err != nil {
			return err
		}
		if it.WrittenOffOn != 0 {
			var v trygg.Validation
			v.Add("item", "%s är redan avskriven.", it.Label)
			return v.Err()
		}
		if err := nattvandring.CheckWriteOff(reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_items SET written_off_on = $1, write_off_reason = $2 WHERE id = $3",
			int64(today(tx)), strings.TrimSpace(reason), itemID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE nattvandring_loans SET returned_on = $1 WHERE item_id = $2 AND returned_on IS NULL",
			int64(today(tx)), itemID); err != nil {
			return err
		}
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectItem, objectID: objectID(itemID), detail: "avskriven"})
	})
}

// walkRows reads the held walks from from to to as statistics rows, for
// groups matching groupWhere (on g, args after from and to).
func walkRows(ctx context.Context, q queryer, from, to trygg.Day, groupWhere string, args ...any) ([]nattvandring.WalkRow, error) {
	return walkRowsOf(ctx, q, true, from, to, groupWhere, args...)
}

// walkRowsOf is walkRows, with the observations only when withObs (the
// lägesbild's overlay needs the hours alone).
func walkRowsOf(ctx context.Context, q queryer, withObs bool, from, to trygg.Day, groupWhere string, args ...any) ([]nattvandring.WalkRow, error) {
	all := append([]any{int64(from), int64(to)}, args...)
	rows, err := q.QueryContext(ctx, `SELECT w.id, w.group_id, w.walk_date, coalesce(w.youth_contacts, 0), d.area_code, d.minutes
		FROM nattvandring_walks w JOIN nattvandring_groups g ON g.id = w.group_id
		JOIN nattvandring_log_districts d ON d.walk_id = w.id
		WHERE w.status = 'genomford' AND w.walk_date BETWEEN $1 AND $2`+groupWhere+` ORDER BY w.id, d.area_code`, all...)
	if err != nil {
		return nil, err
	}
	var out []nattvandring.WalkRow
	index := map[int64]int{}
	for rows.Next() {
		var id, group, date int64
		var youth, minutes int
		var area string
		if err := rows.Scan(&id, &group, &date, &youth, &area, &minutes); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			out = append(out, nattvandring.WalkRow{GroupID: group, Date: trygg.Day(date), YouthContacts: youth})
		}
		out[i].Districts = append(out[i].Districts, area)
		out[i].Minutes += minutes
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !withObs {
		return out, nil
	}
	obs, err := q.QueryContext(ctx, `SELECT o.walk_id, r.area_code, r.category FROM nattvandring_observations o
		JOIN reports r ON r.id = o.report_id JOIN nattvandring_walks w ON w.id = o.walk_id
		JOIN nattvandring_groups g ON g.id = w.group_id
		WHERE r.deleted_at IS NULL AND w.walk_date BETWEEN $1 AND $2`+groupWhere, all...)
	if err != nil {
		return nil, err
	}
	defer obs.Close()
	for obs.Next() {
		var id int64
		var o nattvandring.ObservationRow
		if err := obs.Scan(&id, &o.District, &o.Category); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Observations = append(out[i].Observations, o)
		}
	}
	return out, obs.Err()
}

// Statistics returns the statistics for the groups the caller may see.
func (s *NattvandringService) Statistics(ctx context.Context, from, to trygg.Day) (*nattvandring.Statistics, error) {
	c := caller(ctx)
	var v trygg.Validation
	trygg.CheckPeriod(&v, from, to)
	if err := v.Err(); err != nil {
		return nil, err
	}
	groups, err := s.FindGroups(ctx)
	if err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if !canSeeAllGroups(c) {
		if !c.user.Has(trygg.RoleNattvandrare) {
			return nil, c.denied()
		}
		where, args = " AND g.org_id = $3", []any{c.user.OrgID}
	}
	rows, err := walkRows(ctx, s.db.read, from, to, where, args...)
	if err != nil {
		return nil, err
	}
	var districts []string
	for _, g := range groups {
		districts = append(districts, g.Districts...)
	}
	slices.Sort(districts)
	districts = slices.Compact(districts)
	return &nattvandring.Statistics{From: from, To: to, Groups: groups, Months: nattvandring.MonthStats(rows),
		Weekend: nattvandring.WeekendShares(rows, districts, from, to)}, nil
}

// WalkHours returns minutes walked per district and week over all groups.
func (s *NattvandringService) WalkHours(ctx context.Context, from, to trygg.Day) ([]nattvandring.WeekHours, error) {
	c := caller(ctx)
	if c.anonymous() {
		return nil, c.denied()
	}
	rows, err := walkRowsOf(ctx, s.db.read, false, from, to, "")
	if err != nil {
		return nil, err
	}
	return nattvandring.WeeklyHours(rows), nil
}

// PublishedWalks returns published walks that are not cancelled, for
// anyone: districts and times, never people.
func (s *NattvandringService) PublishedWalks(ctx context.Context, groupID int64, district string, from, to trygg.Day) ([]*nattvandring.PublicWalk, error) {
	conds, args := []string{"w.published = 1", "w.status <> 'installd'", "w.walk_date BETWEEN $1 AND $2"}, []any{int64(from), int64(to)}
	if groupID != 0 {
		args = append(args, groupID)
		conds = append(conds, "w.group_id = $3")
	}
	if district != "" {
		args = append(args, district)
		conds = append(conds, "w.id IN (SELECT walk_id FROM nattvandring_walk_districts WHERE area_code = $"+objectID(int64(len(args)))+")")
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT w.id, w.group_id, g.name, w.walk_date, w.start_min, w.end_min, w.status
		FROM nattvandring_walks w JOIN nattvandring_groups g ON g.id = w.group_id
		WHERE `+strings.Join(conds, " AND ")+" ORDER BY w.walk_date, w.start_min, w.id", args...)
	if err != nil {
		return nil, err
	}
	var out []*nattvandring.PublicWalk
	for rows.Next() {
		var p nattvandring.PublicWalk
		var date int64
		var start, end int
		if err := rows.Scan(&p.ID, &p.GroupID, &p.GroupName, &date, &start, &end, &p.Status); err != nil {
			rows.Close()
			return nil, err
		}
		w := nattvandring.Walk{Date: trygg.Day(date), Start: start, End: end}
		p.Date, p.Start, p.End = w.Date, w.StartTime(), w.EndTime()
		out = append(out, &p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, p := range out {
		if p.Districts, err = queryColumn[string](ctx, s.db.read, "SELECT area_code FROM nattvandring_walk_districts WHERE walk_id = $1 ORDER BY area_code", p.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WalkReminders returns the reminders of day's walks not cancelled or
// held, with the signed-up volunteers who gave an e-mail address.
func (s *NattvandringService) WalkReminders(ctx context.Context, day trygg.Day) ([]nattvandring.WalkReminder, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	var out []nattvandring.WalkReminder
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		walks, err := s.findWalks(ctx, tx, c, "w.walk_date = $1 AND w.status IN ('planerad', 'bekraftad')", int64(day))
		if err != nil {
			return err
		}
		var shown []int64
		for _, w := range walks {
			var ids []int64
			for _, su := range w.SignUps {
				ids = append(ids, su.VolunteerID)
			}
			if len(ids) == 0 {
				continue
			}
			vs, err := s.loadVolunteers(ctx, tx, "v.id IN ("+placeholders(1, len(ids))+")", anySlice(ids)...)
			if err != nil {
				return err
			}
			rem := nattvandring.WalkReminder{MeetingPoint: w.MeetingPoint, Walk: nattvandring.PublicWalk{ID: w.ID, GroupID: w.GroupID,
				GroupName: w.GroupName, Date: w.Date, Start: w.StartTime(), End: w.EndTime(), Districts: w.Districts, Status: w.Status}}
			for _, v := range vs {
				if v.RemovedAt == nil && v.Email != "" {
					rem.To = append(rem.To, nattvandring.Recipient{Name: v.Name, Email: v.Email})
					shown = append(shown, v.ID)
				}
			}
			if len(rem.To) > 0 {
				out = append(out, rem)
			}
		}
		if len(shown) == 0 {
			return nil
		}
		return auditNames(ctx, tx, c, "påminnelser "+day.String(), shown)
	})
	return out, err
}

// nightwalkPoints is a commitment's indicator read from the night walks:
// for each month, the per cent of its weekend nights with a held walk in
// any of districts.
func nightwalkPoints(ctx context.Context, q queryer, districts []string, months []trygg.Day) ([]samverkan.IndicatorPoint, error) {
	if len(months) == 0 {
		return nil, nil
	}
	rows, err := walkRowsOf(ctx, q, false, months[0], trygg.MonthEnd(months[len(months)-1]), "")
	if err != nil {
		return nil, err
	}
	out := make([]samverkan.IndicatorPoint, len(months))
	for i, m := range months {
		share := nattvandring.WeekendShareAny(rows, districts, m, trygg.MonthEnd(m))
		out[i] = samverkan.IndicatorPoint{Day: m, Value: float64(share.Percent())}
	}
	return out, nil
}
