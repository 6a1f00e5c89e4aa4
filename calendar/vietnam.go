package calendar

// The Vietnamese civil-service calendar (cán bộ, công chức, viên chức) as
// data: the public holidays of the Labour Code 2019 art. 112 as set out by
// each year's government notice, with its make-up days (nghỉ bù) and swapped
// days (hoán đổi ngày làm việc). Only dates that differ from the weekly rule
// (Saturday and Sunday off) are listed: a holiday on a weekend needs no
// entry, its make-up weekday does.
//
// This is the built-in default. In production admins load each year's notice
// into the calendar tables, and may correct these entries there, so a new
// year or a late change to a notice needs no release.

import "time"

// VietnamOverrides returns the official overrides for year (2025 and 2026),
// or nil for a year with no built-in data. The slice is new on every call.
func VietnamOverrides(year int) []Override {
	var src []Override
	switch year {
	case 2025:
		src = vietnam2025
	case 2026:
		src = vietnam2026
	default:
		return nil
	}
	return append([]Override(nil), src...)
}

func vnOff(y int, m time.Month, d int, name string) Override {
	return Override{Date: Date{Year: y, Month: m, Day: d}, Name: name}
}

func vnWorked(y int, m time.Month, d int, name string) Override {
	return Override{Date: Date{Year: y, Month: m, Day: d}, Working: true, Name: name}
}

// 2025: Tết Nguyên đán Ất Tỵ is Sat 25 Jan – Sun 2 Feb (9 days with the two
// weekends); Fri 2 May is swapped with Sat 26 Apr; National Day is
// Sat 30 Aug – Tue 2 Sep.
var vietnam2025 = []Override{
	vnOff(2025, time.January, 1, "Tết Dương lịch"),
	vnOff(2025, time.January, 27, "Tết Nguyên đán Ất Tỵ (28 tháng Chạp)"),
	vnOff(2025, time.January, 28, "Tết Nguyên đán Ất Tỵ (29 tháng Chạp)"),
	vnOff(2025, time.January, 29, "Tết Nguyên đán Ất Tỵ (mùng 1 tháng Giêng)"),
	vnOff(2025, time.January, 30, "Tết Nguyên đán Ất Tỵ (mùng 2 tháng Giêng)"),
	vnOff(2025, time.January, 31, "Tết Nguyên đán Ất Tỵ (mùng 3 tháng Giêng)"),
	vnOff(2025, time.April, 7, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
	vnWorked(2025, time.April, 26, "Làm bù cho ngày nghỉ thứ Sáu 02/5/2025"),
	vnOff(2025, time.April, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"),
	vnOff(2025, time.May, 1, "Ngày Quốc tế Lao động (1/5)"),
	vnOff(2025, time.May, 2, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)"),
	vnOff(2025, time.September, 1, "Quốc khánh (ngày liền kề 2/9)"),
	vnOff(2025, time.September, 2, "Quốc khánh (2/9)"),
}

// 2026: Tết Nguyên đán Bính Ngọ is Sat 14 – Sun 22 Feb (9 days with the two
// weekends); Giỗ Tổ Hùng Vương falls on Sun 26 Apr, so Mon 27 Apr is the
// make-up day.
var vietnam2026 = []Override{
	vnOff(2026, time.January, 1, "Tết Dương lịch"),
	vnOff(2026, time.February, 16, "Tết Nguyên đán Bính Ngọ (29 tháng Chạp)"),
	vnOff(2026, time.February, 17, "Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)"),
	vnOff(2026, time.February, 18, "Tết Nguyên đán Bính Ngọ (mùng 2 tháng Giêng)"),
	vnOff(2026, time.February, 19, "Tết Nguyên đán Bính Ngọ (mùng 3 tháng Giêng)"),
	vnOff(2026, time.February, 20, "Tết Nguyên đán Bính Ngọ (mùng 4 tháng Giêng)"),
	vnOff(2026, time.April, 27, "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/4)"),
	vnOff(2026, time.April, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"),
	vnOff(2026, time.May, 1, "Ngày Quốc tế Lao động (1/5)"),
	// The day next to 2 Sep (before or after) is chosen by the year's
	// notice; Tue 1 Sep is assumed here. Admins change it in the calendar
	// data when the notice says otherwise.
	vnOff(2026, time.September, 1, "Quốc khánh (ngày liền kề 2/9)"),
	vnOff(2026, time.September, 2, "Quốc khánh (2/9)"),
}
