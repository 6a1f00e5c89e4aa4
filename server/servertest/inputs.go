package servertest

// Receive receives a dossier ($in) and reads back what the desk checks.
const Receive = `mutation($in: ReceiveDossierInput!) {
  receiveDossier(input: $in) { id code state receivedAt appointmentAt procedure { version } legs { role dueAt } }
}`

// BirthInput is a birth registration handed in at commune A's desk.
func BirthInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "1.001193",
		"channel":       "DIRECT",
		"applicant":     map[string]any{"name": name, "idNumber": "045201000123"},
		"components": []map[string]any{
			{"name": "Tờ khai đăng ký khai sinh"},
			{"name": "Giấy chứng sinh", "digitized": true},
		},
	}
}

// LandInput is a first land-use certificate (20 working days) at commune A.
func LandInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "1.013978",
		"channel":       "DIRECT",
		"applicant":     map[string]any{"name": name, "idNumber": "045201000999", "address": "Gio Linh"},
		"components": []map[string]any{
			{"name": "Đơn đăng ký đất đai, tài sản gắn liền với đất"},
			{"name": "Giấy tờ về quyền sử dụng đất"},
			{"name": "Mảnh trích đo địa chính"},
		},
	}
}

// MarriageInput is a marriage registration (1 working day, RESTART) at
// commune B's desk.
func MarriageInput(name string) map[string]any {
	return map[string]any{
		"procedureCode": "1.000894",
		"channel":       "DIRECT",
		"applicant":     map[string]any{"name": name, "idNumber": "045201000777"},
		"components":    []map[string]any{{"name": "Tờ khai đăng ký kết hôn"}, {"name": "Giấy tờ tùy thân của hai bên"}},
	}
}

// Mutations on the dossier $id, as tests fire them with Env.FireAt.
const (
	Forward  = `mutation($id: ID!) { forwardDossier(id: $id) { state } }`
	Transfer = `mutation($id: ID!) { transferDossier(id: $id) { state } }`
	SendBack = `mutation($id: ID!) { sendBackDossier(id: $id, reason: "Chưa đủ căn cứ") { state } }`
	Return   = `mutation($id: ID!) { returnDossier(id: $id, result: "Kết quả") { state } }`
	Request  = `mutation($id: ID!) { requestSupplement(id: $id, reason: "Thiếu giấy tờ", items: ["Giấy xác nhận"]) { state } }`
	Supply   = `mutation($id: ID!) { supplementDossier(id: $id) { state } }`
	Refuse   = `mutation($id: ID!) { refuseDossier(id: $id, reason: "Không thuộc thẩm quyền") { state } }`
	Apology  = `mutation($id: ID!) { apologizeDossier(id: $id, reason: "Chờ xác minh", newAppointmentAt: "2026-11-06T09:00:00+07:00") { state } }`
)
