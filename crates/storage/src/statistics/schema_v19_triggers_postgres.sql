-- PostgreSQL: one statement trigger per table.
CREATE FUNCTION catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER catalogue_changed_forms AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON forms
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER catalogue_changed_form_indicators AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON form_indicators
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER catalogue_changed_indicators AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicators
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER catalogue_changed_category_sets AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_sets
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER catalogue_changed_category_options AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_options
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER catalogue_changed_validation_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON validation_rules
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
