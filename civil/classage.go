package civil

// ClassAge is a child's class age (クラス年齢) in fiscal year fy: the age at
// the very start of April 1, which is the age at the end of March 31 (「年度
// 初日の前日」). Under the legal rule a child born on April 1 turns a year
// older at the end of March 31, so it joins the older class, as in schools
// (早生まれ); a child born on April 2 turns older only at the end of April 1
// and stays in the younger class. Nursery fees, 無償化 and classes all use it.
func ClassAge(birth Date, fy int) int { return AgeOn(birth, FiscalYearStart(fy).AddDays(-1)) }
