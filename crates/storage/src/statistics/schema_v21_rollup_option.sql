CREATE TABLE rollup_option (
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    node_id BIGINT NOT NULL REFERENCES units(id),
    map_kind TEXT NOT NULL,
    period_year BIGINT NOT NULL,
    approved BIGINT NOT NULL,
    option_code TEXT NOT NULL,
    sum_milli BIGINT NOT NULL,
    n_values BIGINT NOT NULL,
    n_more BIGINT NOT NULL,
    n_nearly BIGINT NOT NULL,
    n_about BIGINT NOT NULL,
    PRIMARY KEY (node_id, map_kind, indicator_id, period_year, approved, option_code)
) {rollup_storage};
