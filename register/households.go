package register

import "github.com/saijo-dx/lifestage/civil"

// Household is a 世帯 of the extract with the kind the candidate rules use,
// worked out from every row of the file with its number.
type Household struct {
	Code        string
	Address     string
	AreaID      string
	MemberCount int
	// LivingAlone: the one member is ElderlyAge or older (独居高齢者).
	LivingAlone bool
	// ElderlyOnly: every member is ElderlyAge or older (高齢者のみ世帯,
	// one-person households included).
	ElderlyOnly bool
}

// homeAcc gathers the rows of one household number.
type homeAcc struct {
	members int
	births  []civil.Date
	unknown bool // a member's birth date could not be read
	good    bool // at least one valid row: address and area come from it
	address string
	areaID  string
}

// member counts a row under its household, valid or not: a rejected
// spouse still lives there. birth is nil when the row has no usable date.
func (p *parser) member(code string, birth *civil.Date) {
	if code == "" {
		return
	}
	acc := p.home(code)
	acc.members++
	if birth == nil {
		acc.unknown = true
	} else {
		acc.births = append(acc.births, *birth)
	}
}

func (p *parser) home(code string) *homeAcc {
	acc := p.homes[code]
	if acc == nil {
		acc = &homeAcc{}
		p.homes[code] = acc
		p.order = append(p.order, code)
	}
	return acc
}

// sameHome keeps the household's address and area from its first valid
// row and names the column of a later row that disagrees.
func (p *parser) sameHome(pr Person) (string, bool) {
	acc := p.home(pr.HouseholdCode)
	if !acc.good {
		acc.good, acc.address, acc.areaID = true, pr.Address, pr.AreaID
		return "", false
	}
	switch {
	case acc.address != pr.Address:
		return ColAddress, true
	case acc.areaID != pr.AreaID:
		return ColArea, true
	}
	return "", false
}

// households lists, in file order, the households with a valid row. A
// household with a member whose age is unknown is neither living alone nor
// elderly only: better no candidate than a wrong one.
func (p *parser) households() []Household {
	var out []Household
	for _, code := range p.order {
		acc := p.homes[code]
		if !acc.good {
			continue
		}
		elderly := !acc.unknown && len(acc.births) > 0
		for _, b := range acc.births {
			elderly = elderly && civil.AgeOn(b, p.today) >= ElderlyAge
		}
		out = append(out, Household{
			Code: code, Address: acc.address, AreaID: acc.areaID, MemberCount: acc.members,
			LivingAlone: elderly && acc.members == 1, ElderlyOnly: elderly,
		})
	}
	return out
}
