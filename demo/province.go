// Package demo builds the demo province: agencies after the 2025 two-tier
// reform, real procedures with inter-agency routes, officers for every
// role, the official calendars and a few dozen dossiers.
package demo

import (
	"lienthong/auth"
	"lienthong/ent/agency"
	"lienthong/ent/procedure"
	"lienthong/ent/routestep"
	"lienthong/ent/schema/schematype"
)

// Agency codes of the demo province.
const (
	Province     = "000.00.00.H43"
	ServiceDesk  = "000.00.01.H43" // Trung tâm Phục vụ hành chính công tỉnh
	Finance      = "000.00.13.H43"
	Justice      = "000.00.14.H43"
	Construction = "000.00.15.H43"
	Environment  = "000.00.17.H43"
	Health       = "000.00.18.H43"
	Police       = "000.00.30.H43"
	Tax          = "000.00.40.H43"
	SocialIns    = "000.00.41.H43"
	CommuneA     = "000.20.01.H43"
	CommuneB     = "000.20.02.H43"
)

type agencySpec struct {
	code, name, parent string
	level              agency.Level
	desk               bool
}

var agencies = []agencySpec{
	{Province, "Ủy ban nhân dân tỉnh Quảng Trị", "", agency.LevelProvince, false},
	{ServiceDesk, "Trung tâm Phục vụ hành chính công tỉnh Quảng Trị", Province, agency.LevelDepartment, true},
	{Finance, "Sở Tài chính", Province, agency.LevelDepartment, false},
	{Justice, "Sở Tư pháp", Province, agency.LevelDepartment, false},
	{Construction, "Sở Xây dựng", Province, agency.LevelDepartment, false},
	{Environment, "Sở Nông nghiệp và Môi trường", Province, agency.LevelDepartment, false},
	{Health, "Sở Y tế", Province, agency.LevelDepartment, false},
	{Police, "Công an tỉnh Quảng Trị", Province, agency.LevelDepartment, false},
	{Tax, "Thuế tỉnh Quảng Trị", "", agency.LevelCentral, false},
	{SocialIns, "Bảo hiểm xã hội tỉnh Quảng Trị", "", agency.LevelCentral, false},
	{CommuneA, "Ủy ban nhân dân xã Gio Linh", Province, agency.LevelCommune, true},
	{CommuneB, "Ủy ban nhân dân phường Đông Hà", Province, agency.LevelCommune, true},
}

// Officer is a demo user; the seed prints a token for each.
type Officer struct {
	Subject string
	Name    string
	Agency  string
	Roles   []auth.Role
}

// Officers of the demo province, one or more per role.
var Officers = []Officer{
	{"admin", "Quản trị hệ thống", Province, []auth.Role{auth.RoleAdmin}},
	{"desk.ttpvhcc", "Nguyễn Thị Lan", ServiceDesk, []auth.Role{auth.RoleDeskOfficer}},
	{"desk.giolinh", "Trần Văn Hùng", CommuneA, []auth.Role{auth.RoleDeskOfficer}},
	{"desk.dongha", "Lê Thị Mai", CommuneB, []auth.Role{auth.RoleDeskOfficer}},
	{"cv.taichinh", "Phạm Minh Tuấn", Finance, []auth.Role{auth.RoleSpecialist}},
	{"ld.taichinh", "Hoàng Văn Nam", Finance, []auth.Role{auth.RoleAgencyHead}},
	{"cv.thue", "Đỗ Thị Hoa", Tax, []auth.Role{auth.RoleSpecialist}},
	{"cv.moitruong", "Võ Văn Bình", Environment, []auth.Role{auth.RoleSpecialist}},
	{"cv.xaydung", "Bùi Thị Thu", Construction, []auth.Role{auth.RoleSpecialist}},
	{"cv.congan", "Ngô Quang Vinh", Police, []auth.Role{auth.RoleSpecialist}},
	{"cv.giolinh", "Đặng Thị Hạnh", CommuneA, []auth.Role{auth.RoleSpecialist}},
	{"ld.giolinh", "Trương Văn Lực", CommuneA, []auth.Role{auth.RoleAgencyHead}},
	{"cv2.taichinh", "Lý Thị Kim Oanh", Finance, []auth.Role{auth.RoleSpecialist}},
	{"ld.ttpvhcc", "Phan Quốc Khánh", ServiceDesk, []auth.Role{auth.RoleAgencyHead}},
	{"cv.tuphap", "Hồ Thị Thanh", Justice, []auth.Role{auth.RoleSpecialist}},
	{"cv.yte", "Dương Minh Châu", Health, []auth.Role{auth.RoleSpecialist}},
	{"ld.yte", "Huỳnh Văn Tài", Health, []auth.Role{auth.RoleAgencyHead}},
	{"cv.bhxh", "Vũ Thị Ngọc", SocialIns, []auth.Role{auth.RoleSpecialist}},
	{"ld.congan", "Lê Quang Huy", Police, []auth.Role{auth.RoleAgencyHead}},
	{"ld.moitruong", "Trần Đức Thịnh", Environment, []auth.Role{auth.RoleAgencyHead}},
	{"ld.thue", "Nguyễn Văn Thuận", Tax, []auth.Role{auth.RoleAgencyHead}},
	{"cv.ubndtinh", "Phạm Thị Hiền", Province, []auth.Role{auth.RoleSpecialist}},
	{"ld.ubndtinh", "Võ Minh Đức", Province, []auth.Role{auth.RoleAgencyHead}},
	{"cv.dongha", "Ngô Thị Bích", CommuneB, []auth.Role{auth.RoleSpecialist}},
	{"ld.dongha", "Đoàn Văn Phúc", CommuneB, []auth.Role{auth.RoleAgencyHead}},
	{"analyst", "Văn phòng UBND tỉnh", Province, []auth.Role{auth.RoleAnalyst}},
	{"motcua.system", "Hệ thống thông tin một cửa điện tử tỉnh", Province, []auth.Role{auth.RoleIntegration}},
}

// day is one working day in working minutes.
const day = 480

type stepSpec struct {
	role   routestep.Role
	agency string // "" = the receiving agency
	days   float64
	group  int
	task   string
}

type procedureSpec struct {
	code, name, field    string
	legalDays, limitDays float64
	unit                 procedure.LimitUnit
	channels             []schematype.Channel
	onlineLevel          int
	fee                  int64
	components           []schematype.Component
	policy               procedure.SupplementPolicy
	cutoff               string
	steps                []stepSpec
	desks                []string // where the demo receives it
}

var (
	direct = schematype.ChannelDirect
	online = schematype.ChannelOnline
	postal = schematype.ChannelPostal
	lead   = routestep.RoleLead
	coord  = routestep.RoleCoordinate
)

func comps(mandatory []string, optional ...string) []schematype.Component {
	var out []schematype.Component
	for _, n := range mandatory {
		out = append(out, schematype.Component{Name: n, Mandatory: true})
	}
	for _, n := range optional {
		out = append(out, schematype.Component{Name: n})
	}
	return out
}

// Procedures of the demo province, modelled on the national records
// (PROCEDURES.md): codes, names, limits, fees, components, routes.
var procedures = []procedureSpec{
	{
		code: "1.001193", name: "Thủ tục đăng ký khai sinh", field: "Hộ tịch",
		legalDays: 1, limitDays: 1, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online}, onlineLevel: 4,
		components: comps([]string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}, "Văn bản ủy quyền"),
		policy:     procedure.SupplementPolicyRestart, cutoff: "15:00",
		steps: []stepSpec{{lead, "", 1, 0, "Công chức tư pháp - hộ tịch đăng ký khai sinh"}},
		desks: []string{CommuneA, CommuneB},
	},
	{
		code: "2.000986", name: "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", field: "Hộ tịch",
		legalDays: 20, limitDays: 15, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct}, onlineLevel: 2,
		components: comps([]string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Tờ khai tham gia BHYT"}, "Phiếu báo thay đổi hộ khẩu, nhân khẩu"),
		policy:     procedure.SupplementPolicyPause,
		steps: []stepSpec{
			{lead, "", 1, 0, "Đăng ký khai sinh, chuyển hồ sơ liên thông"},
			{coord, Police, 10, 1, "Đăng ký thường trú"},
			{coord, SocialIns, 10, 1, "Cấp thẻ bảo hiểm y tế"},
			{lead, "", 2, 0, "Tổng hợp kết quả, chuyển Bộ phận Một cửa"},
		},
		desks: []string{CommuneA, CommuneB},
	},
	{
		code: "2.001583", name: "Đăng ký thành lập công ty TNHH một thành viên", field: "Thành lập và hoạt động của doanh nghiệp",
		legalDays: 3, limitDays: 3, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online, postal}, onlineLevel: 4, fee: 50000,
		components: comps([]string{"Giấy đề nghị đăng ký doanh nghiệp (Mẫu 02)", "Điều lệ công ty", "Bản sao giấy tờ pháp lý của chủ sở hữu"}, "Danh sách chủ sở hữu hưởng lợi", "Văn bản ủy quyền"),
		policy:     procedure.SupplementPolicyRestart,
		steps: []stepSpec{
			{lead, Finance, 2.5, 0, "Phòng Đăng ký kinh doanh thẩm định, cấp Giấy chứng nhận"},
		},
		desks: []string{ServiceDesk},
	},
	{
		code: "1.009645", name: "Thủ tục chấp thuận chủ trương đầu tư thuộc thẩm quyền của Chủ tịch Uỷ ban nhân dân cấp tỉnh", field: "Đầu tư tại Việt Nam",
		legalDays: 17, limitDays: 15, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online}, onlineLevel: 3,
		components: comps([]string{"Văn bản đề nghị thực hiện dự án đầu tư (Mẫu I.1.1)", "Tài liệu về tư cách pháp lý của nhà đầu tư", "Tài liệu chứng minh năng lực tài chính", "Đề xuất dự án đầu tư (Mẫu I.1.3)"}, "Giấy tờ về quyền sử dụng đất"),
		policy:     procedure.SupplementPolicyPause,
		steps: []stepSpec{
			{lead, Finance, 2, 0, "Kiểm tra hồ sơ, gửi lấy ý kiến"},
			{coord, Construction, 6, 1, "Ý kiến về quy hoạch xây dựng"},
			{coord, Environment, 6, 1, "Ý kiến về đất đai, môi trường"},
			{coord, Police, 6, 1, "Ý kiến về quốc phòng, an ninh"},
			{lead, Finance, 4, 0, "Lập báo cáo thẩm định"},
			{lead, Province, 3, 0, "Chủ tịch UBND tỉnh xem xét, chấp thuận"},
		},
		desks: []string{ServiceDesk},
	},
	{
		code: "1.013225", name: "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", field: "Hoạt động xây dựng",
		legalDays: 15, limitDays: 12, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online}, onlineLevel: 4,
		components: comps([]string{"Đơn đề nghị cấp giấy phép xây dựng (Mẫu 1)", "Giấy tờ chứng minh quyền sử dụng đất", "Bản vẽ thiết kế xây dựng (02 bộ)"}, "Kết quả thẩm duyệt PCCC"),
		policy:     procedure.SupplementPolicyPause,
		steps: []stepSpec{
			{lead, "", 7, 0, "Thẩm định hồ sơ, kiểm tra thực địa"},
			{coord, Construction, 3, 0, "Ý kiến cơ quan quản lý xây dựng"},
			{lead, "", 2, 0, "Cấp giấy phép"},
		},
		desks: []string{CommuneA, CommuneB},
	},
	{
		code: "1.013978", name: "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu đối với hộ gia đình, cá nhân", field: "Đất đai",
		legalDays: 27, limitDays: 20, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online, postal}, onlineLevel: 3,
		components: comps([]string{"Đơn đăng ký đất đai, tài sản gắn liền với đất", "Giấy tờ về quyền sử dụng đất", "Mảnh trích đo địa chính"}, "Chứng từ thực hiện nghĩa vụ tài chính", "Văn bản thỏa thuận của người cùng sử dụng đất"),
		policy:     procedure.SupplementPolicyPause,
		steps: []stepSpec{
			{lead, "", 8, 0, "UBND xã xác nhận hiện trạng, niêm yết công khai"},
			{lead, Environment, 4, 0, "Văn phòng đăng ký đất đai kiểm tra hồ sơ"},
			{lead, Tax, 5, 0, "Cơ quan thuế xác định nghĩa vụ tài chính"},
			{lead, Environment, 3, 0, "Trình ký, cập nhật hồ sơ địa chính"},
		},
		desks: []string{CommuneA, CommuneB},
	},
	{
		code: "3.000333", name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", field: "Lý lịch tư pháp",
		legalDays: 10, limitDays: 8, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online, postal}, onlineLevel: 4, fee: 200000,
		components: comps([]string{"Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu 01/2025/LLTP)", "Bản chụp giấy tờ tùy thân"}, "Văn bản ủy quyền"),
		policy:     procedure.SupplementPolicyPause,
		steps: []stepSpec{
			{lead, Police, 3, 0, "Tra cứu, xác minh lý lịch"},
			{coord, Justice, 3, 0, "Cung cấp thông tin lý lịch tư pháp về tội phạm"},
			{lead, Police, 2, 0, "Cấp Phiếu lý lịch tư pháp"},
		},
		desks: []string{ServiceDesk},
	},
	{
		code: "1.000894", name: "Thủ tục đăng ký kết hôn", field: "Hộ tịch",
		legalDays: 1, limitDays: 1, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online}, onlineLevel: 4,
		components: comps([]string{"Tờ khai đăng ký kết hôn", "Giấy tờ tùy thân của hai bên"}, "Giấy xác nhận tình trạng hôn nhân"),
		policy:     procedure.SupplementPolicyRestart, cutoff: "15:00",
		steps: []stepSpec{{lead, "", 1, 0, "Công chức tư pháp - hộ tịch đăng ký kết hôn"}},
		desks: []string{CommuneA, CommuneB},
	},
	{
		code: "1.001612", name: "Đăng ký thành lập hộ kinh doanh", field: "Hộ kinh doanh",
		legalDays: 3, limitDays: 3, unit: procedure.LimitUnitWorkingDays,
		channels: []schematype.Channel{direct, online}, onlineLevel: 4, fee: 50000,
		components: comps([]string{"Giấy đề nghị đăng ký hộ kinh doanh"}, "Văn bản ủy quyền của các thành viên hộ gia đình"),
		policy:     procedure.SupplementPolicyRestart,
		steps: []stepSpec{
			{lead, "", 2, 0, "Cấp Giấy chứng nhận đăng ký hộ kinh doanh"},
			{coord, Tax, 1, 0, "Thông báo cơ quan thuế"},
		},
		desks: []string{CommuneA, CommuneB},
	},
	{
		// The national record gives no code for this licence yet: a provincial code stands in.
		code: "H43.YT.01", name: "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh đối với bác sỹ, y sỹ, điều dưỡng, hộ sinh", field: "Khám bệnh, chữa bệnh",
		legalDays: 30, limitDays: 20, unit: procedure.LimitUnitDays,
		channels: []schematype.Channel{direct, online}, onlineLevel: 3, fee: 430000,
		components: comps([]string{"Đơn đề nghị cấp giấy phép hành nghề", "Văn bằng chuyên môn", "Giấy chứng nhận đủ sức khỏe"}),
		policy:     procedure.SupplementPolicyPause,
		steps:      []stepSpec{{lead, Health, 20, 0, "Thẩm định, cấp giấy phép hành nghề"}},
		desks:      []string{ServiceDesk},
	},
}
