-- SQLite: one trigger per table and kind of change (SQLite has row triggers only).
CREATE TRIGGER catalogue_changed_forms_insert AFTER INSERT ON forms
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_forms_update AFTER UPDATE ON forms
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_forms_delete AFTER DELETE ON forms
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_form_indicators_insert AFTER INSERT ON form_indicators
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_form_indicators_update AFTER UPDATE ON form_indicators
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_form_indicators_delete AFTER DELETE ON form_indicators
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_indicators_insert AFTER INSERT ON indicators
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_indicators_update AFTER UPDATE ON indicators
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_indicators_delete AFTER DELETE ON indicators
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_category_sets_insert AFTER INSERT ON category_sets
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_category_sets_update AFTER UPDATE ON category_sets
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_category_sets_delete AFTER DELETE ON category_sets
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_category_options_insert AFTER INSERT ON category_options
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_category_options_update AFTER UPDATE ON category_options
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_category_options_delete AFTER DELETE ON category_options
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_validation_rules_insert AFTER INSERT ON validation_rules
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_validation_rules_update AFTER UPDATE ON validation_rules
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_changed_validation_rules_delete AFTER DELETE ON validation_rules
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
