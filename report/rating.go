package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/ent/agency"
	"lienthong/ent/parindex"
	"lienthong/problem"
)

// Rating is a head of agency's yearly rating (seed 003).
type Rating string

// Ratings.
const (
	Excellent  Rating = "EXCELLENT"
	Good       Rating = "GOOD"
	Complete   Rating = "COMPLETE"
	Incomplete Rating = "INCOMPLETE"
)

// lateLimit is the late-dossier rate (%) below which a head can be rated
// excellent or good.
const lateLimit = 5.0

// HeadRating is one agency's rating for a year.
type HeadRating struct {
	AgencyID int
	Agency   *ent.Agency
	Year     int
	ParScore *float64
	Finished int      // legs the agency handed on in the year
	Late     int      // of which late
	LateRate *float64 // %, nil when none finished
	Rating   *Rating  // nil without a PAR score
	Reason   string
}

// Rate applies the rule: EXCELLENT at PAR ≥ 90 with late < 5 %, GOOD at
// 80–90 with late < 5 %, COMPLETE at 65 and above, INCOMPLETE below.
func Rate(par float64, lateRate *float64) (Rating, string) {
	late := 0.0
	if lateRate != nil {
		late = *lateRate
	}
	lateOK := late < lateLimit
	lateWords := fmt.Sprintf("late rate %.1f %%", late)
	if lateRate == nil {
		lateWords = "no dossier finished"
	}
	switch {
	case par >= 90 && lateOK:
		return Excellent, fmt.Sprintf("PAR %.1f ≥ 90 and %s < 5 %%", par, lateWords)
	case par >= 80 && lateOK:
		return Good, fmt.Sprintf("PAR %.1f in 80–90 and %s < 5 %%", par, lateWords)
	case par >= 80:
		return Complete, fmt.Sprintf("PAR %.1f but %s ≥ 5 %%", par, lateWords)
	case par >= 65:
		return Complete, fmt.Sprintf("PAR %.1f in 65–80", par)
	}
	return Incomplete, fmt.Sprintf("PAR %.1f < 65", par)
}

// HeadRatings rates every agency with a PAR score or finished legs in the
// year. The late rate is by leg: an agency answers for its own turns.
func (r *Reporter) HeadRatings(ctx context.Context, year int) ([]*HeadRating, error) {
	ids, err := scope(ctx, nil)
	if err != nil {
		return nil, err
	}
	in := PerformanceInput{Period: PeriodInput{Year: &year}, GroupBy: ByAgency, View: ByLeg, AgencyIDs: ids}
	p, err := in.Period.Resolve(r.loc)
	if err != nil {
		return nil, err
	}
	asOf := r.asOf(p.To)
	rows, err := r.performanceRows(ctx, in, ids, p, asOf, true)
	if err != nil {
		return nil, err
	}
	sys := auth.SystemContext(ctx)
	pq := r.client.ParIndex.Query().Where(parindex.Year(year))
	if len(ids) > 0 {
		pq.Where(parindex.AgencyIDIn(ids...))
	}
	scores, err := pq.All(sys)
	if err != nil {
		return nil, fmt.Errorf("report: PAR scores: %w", err)
	}
	byAgency := map[int]*HeadRating{}
	get := func(id int) *HeadRating {
		if h, ok := byAgency[id]; ok {
			return h
		}
		h := &HeadRating{AgencyID: id, Year: year}
		byAgency[id] = h
		return h
	}
	for _, row := range rows {
		id, err := strconv.Atoi(row.Key)
		if err != nil || row.Finished == 0 {
			continue
		}
		h := get(id)
		h.Finished, h.Late = row.Finished, row.Late
		rate := 100 * float64(row.Late) / float64(row.Finished)
		h.LateRate = &rate
	}
	for _, s := range scores {
		h := get(s.AgencyID)
		h.ParScore = &s.Score
	}
	ags, err := r.agencies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*HeadRating, 0, len(byAgency))
	for _, h := range byAgency {
		h.Agency = ags[h.AgencyID]
		if h.ParScore == nil {
			h.Reason = fmt.Sprintf("no PAR index score entered for %d", year)
		} else {
			rating, reason := Rate(*h.ParScore, h.LateRate)
			h.Rating, h.Reason = &rating, reason
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b *HeadRating) int { return strings.Compare(a.Agency.Code, b.Agency.Code) })
	return out, nil
}

// SetParIndex records (or corrects) an agency's PAR score for a year
// (ANALYST, ADMIN).
func (r *Reporter) SetParIndex(ctx context.Context, agencyID, year int, score float64) (*ent.ParIndex, error) {
	v, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !v.HasRole(auth.RoleAnalyst, auth.RoleAdmin) {
		return nil, &problem.Error{Code: problem.CodeForbidden, Message: "PAR scores are entered by analysts and administrators"}
	}
	switch {
	case year < 2000 || year > 2100:
		return nil, problem.BadInput("year", "give a year between 2000 and 2100")
	case score < 0 || score > 100:
		return nil, problem.BadInput("score", "a PAR score is between 0 and 100")
	}
	sys := auth.SystemContext(ctx)
	if ok, err := r.client.Agency.Query().Where(agency.ID(agencyID)).Exist(sys); err != nil {
		return nil, fmt.Errorf("report: agency: %w", err)
	} else if !ok {
		return nil, problem.BadInput("agencyID", "no agency with id %d", agencyID)
	}
	id, err := r.client.ParIndex.Create().
		SetAgencyID(agencyID).
		SetYear(year).
		SetScore(score).
		SetEnteredByID(v.OfficerID).
		OnConflictColumns(parindex.FieldAgencyID, parindex.FieldYear).
		UpdateScore().
		UpdateEnteredByID().
		UpdateUpdateTime().
		ID(sys)
	if err != nil {
		return nil, fmt.Errorf("report: set PAR score: %w", err)
	}
	return r.client.ParIndex.Get(sys, id)
}
