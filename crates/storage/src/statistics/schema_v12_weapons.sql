-- v12: weapons by unit of measure (see migrations.rs). Each statement does
-- nothing on a catalogue that already has them (or has no vk_giao_nop).
UPDATE indicators SET position = position + 4
 WHERE position > (SELECT g.position FROM indicators g WHERE g.code = 'vk_giao_nop')
   AND NOT EXISTS (SELECT 1 FROM indicators n WHERE n.code = 'vk_sung');
INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, position)
SELECT 'vk_sung', 'Súng các loại do Nhân dân giao nộp', 'Guns handed in', 'khẩu', 'vu_khi', 'integer', 'sum', g.position + 1
  FROM indicators g
 WHERE g.code = 'vk_giao_nop' AND NOT EXISTS (SELECT 1 FROM indicators n WHERE n.code = 'vk_sung');
INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, position)
SELECT 'vk_dan', 'Đạn các loại do Nhân dân giao nộp', 'Rounds of ammunition handed in', 'viên', 'vu_khi', 'integer', 'sum', g.position + 2
  FROM indicators g
 WHERE g.code = 'vk_giao_nop' AND NOT EXISTS (SELECT 1 FROM indicators n WHERE n.code = 'vk_dan');
INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, position)
SELECT 'vk_vln', 'Vật liệu nổ do Nhân dân giao nộp', 'Explosives handed in', 'kg', 'vu_khi', 'decimal', 'sum', g.position + 3
  FROM indicators g
 WHERE g.code = 'vk_giao_nop' AND NOT EXISTS (SELECT 1 FROM indicators n WHERE n.code = 'vk_vln');
INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, position)
SELECT 'vk_cctht', 'Công cụ hỗ trợ do Nhân dân giao nộp', 'Support tools (non-lethal weapons) handed in', 'cái', 'vu_khi', 'integer', 'sum', g.position + 4
  FROM indicators g
 WHERE g.code = 'vk_giao_nop' AND NOT EXISTS (SELECT 1 FROM indicators n WHERE n.code = 'vk_cctht');
UPDATE form_indicators SET position = position + 4
 WHERE position > (SELECT fi.position FROM form_indicators fi JOIN indicators g ON g.id = fi.indicator_id
                    WHERE g.code = 'vk_giao_nop' AND fi.form_id = form_indicators.form_id)
   AND NOT EXISTS (SELECT 1 FROM form_indicators fi JOIN indicators n ON n.id = fi.indicator_id
                    WHERE n.code = 'vk_sung' AND fi.form_id = form_indicators.form_id);
INSERT INTO form_indicators (form_id, indicator_id, position)
SELECT fi.form_id, n.id, fi.position + 1
  FROM form_indicators fi
  JOIN indicators g ON g.id = fi.indicator_id AND g.code = 'vk_giao_nop'
  JOIN indicators n ON n.code = 'vk_sung'
 WHERE NOT EXISTS (SELECT 1 FROM form_indicators x WHERE x.form_id = fi.form_id AND x.indicator_id = n.id);
INSERT INTO form_indicators (form_id, indicator_id, position)
SELECT fi.form_id, n.id, fi.position + 2
  FROM form_indicators fi
  JOIN indicators g ON g.id = fi.indicator_id AND g.code = 'vk_giao_nop'
  JOIN indicators n ON n.code = 'vk_dan'
 WHERE NOT EXISTS (SELECT 1 FROM form_indicators x WHERE x.form_id = fi.form_id AND x.indicator_id = n.id);
INSERT INTO form_indicators (form_id, indicator_id, position)
SELECT fi.form_id, n.id, fi.position + 3
  FROM form_indicators fi
  JOIN indicators g ON g.id = fi.indicator_id AND g.code = 'vk_giao_nop'
  JOIN indicators n ON n.code = 'vk_vln'
 WHERE NOT EXISTS (SELECT 1 FROM form_indicators x WHERE x.form_id = fi.form_id AND x.indicator_id = n.id);
INSERT INTO form_indicators (form_id, indicator_id, position)
SELECT fi.form_id, n.id, fi.position + 4
  FROM form_indicators fi
  JOIN indicators g ON g.id = fi.indicator_id AND g.code = 'vk_giao_nop'
  JOIN indicators n ON n.code = 'vk_cctht'
 WHERE NOT EXISTS (SELECT 1 FROM form_indicators x WHERE x.form_id = fi.form_id AND x.indicator_id = n.id);
