-- +goose Up
-- Written by hand: the government's notices of days off for 2025 and 2026
-- ship with the product, so that a fresh database has them without any
-- seed; every other year is PROVISIONAL (computed from the Labour Code)
-- until an administrator enters its notice. A database whose calendar days
-- were entered before notices were recorded keeps them, as notices.
INSERT INTO calendar_notices (year, reference, issued_on, create_time, update_time)
SELECT DISTINCT CAST(substr(date, 1, 4) AS bigint), 'entered before notices were recorded', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM calendar_days;
INSERT INTO calendar_days (date, working, name, create_time, update_time) VALUES
  ('2025-01-01', false, 'Tết Dương lịch', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-01-27', false, 'Tết Nguyên đán Ất Tỵ (28 tháng Chạp)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-01-28', false, 'Tết Nguyên đán Ất Tỵ (29 tháng Chạp)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-01-29', false, 'Tết Nguyên đán Ất Tỵ (mùng 1 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-01-30', false, 'Tết Nguyên đán Ất Tỵ (mùng 2 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-01-31', false, 'Tết Nguyên đán Ất Tỵ (mùng 3 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-04-07', false, 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-04-26', true, 'Làm bù cho ngày nghỉ thứ Sáu 02/5/2025', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-04-30', false, 'Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-05-01', false, 'Ngày Quốc tế Lao động (1/5)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-05-02', false, 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-09-01', false, 'Quốc khánh (ngày liền kề 2/9)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2025-09-02', false, 'Quốc khánh (2/9)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-01-01', false, 'Tết Dương lịch', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-02-16', false, 'Tết Nguyên đán Bính Ngọ (29 tháng Chạp)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-02-17', false, 'Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-02-18', false, 'Tết Nguyên đán Bính Ngọ (mùng 2 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-02-19', false, 'Tết Nguyên đán Bính Ngọ (mùng 3 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-02-20', false, 'Tết Nguyên đán Bính Ngọ (mùng 4 tháng Giêng)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-04-27', false, 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/4)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-04-30', false, 'Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-05-01', false, 'Ngày Quốc tế Lao động (1/5)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-09-01', false, 'Quốc khánh (ngày liền kề 2/9)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('2026-09-02', false, 'Quốc khánh (2/9)', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
ON CONFLICT (date) DO NOTHING;
INSERT INTO calendar_notices (year, reference, issued_on, create_time, update_time) VALUES
  (2025, 'Bộ Nội vụ: lịch nghỉ Tết Âm lịch, Giỗ Tổ Hùng Vương, 30/4 – 1/5 và Quốc khánh năm 2025 (shipped with lienthong)', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  (2026, 'Bộ Nội vụ: lịch nghỉ lễ, Tết năm 2026 (shipped with lienthong)', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
ON CONFLICT (year) DO NOTHING;

-- +goose Down
DELETE FROM calendar_notices WHERE reference LIKE '%(shipped with lienthong)' OR reference = 'entered before notices were recorded';
