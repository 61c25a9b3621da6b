package collections

import (
	"fmt"
	"strings"
)

// Department codes of city staff (所属).
const (
	DeptChild   = "child"   // 子育て担当
	DeptNursery = "nursery" // 保育担当
	DeptElderly = "elderly" // 高齢福祉担当
	DeptOps     = "ops"     // 運用管理
)

// Departments lists every department code in display order.
var Departments = []string{DeptChild, DeptNursery, DeptElderly, DeptOps}

// Account collections.
const (
	Users        = "users"
	CityStaff    = "city_staff"
	NurseryStaff = "nursery_staff"
	MedicalStaff = "medical_staff"
	Volunteers   = "volunteers"
)

// authIs is true when the caller is logged in to the given auth collection.
func authIs(collection string) string {
	return fmt.Sprintf(`@request.auth.collectionName = "%s"`, collection)
}

// cityStaffIn is true for active city staff of any of the departments.
func cityStaffIn(depts ...string) string {
	conds := make([]string, len(depts))
	for i, d := range depts {
		conds[i] = fmt.Sprintf(`@request.auth.department = "%s"`, d)
	}
	return allOf(authIs(CityStaff), strings.Join(conds, " || "))
}

// citizen is a logged-in resident account.
var citizen = authIs(Users)

// bodyUnset forbids a request body from touching any of the fields.
func bodyUnset(fields ...string) string {
	conds := make([]string, len(fields))
	for i, f := range fields {
		conds[i] = fmt.Sprintf(`@request.body.%s:isset = false`, f)
	}
	return strings.Join(conds, " && ")
}

func rule(s string) *string { return &s }
