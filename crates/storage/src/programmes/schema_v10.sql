-- v10: documents, programmes and plans, conferences and events, awards.
-- The events behind the figures (issue 12). Text columns hold NFC text;
-- `*_key` columns hold the folded form (`antq_core::text::fold`) that
-- accent-insensitive search compares; dates are ISO `YYYY-MM-DD`.

-- A document (văn bản): a directive, resolution, decision, circular,
-- coordination programme, plan, guidance, report... `reference` is the
-- printed number and symbol ("124/2021/TT-BCA", "510/QĐ-BCA-V05",
-- "09-CT/TW", "09/CTr-BCA-MTTW"), NULL while the number is not known.
-- `unit_id` is the unit whose library holds it (NULL: national).
CREATE TABLE documents (
    id {pk},
    kind TEXT NOT NULL,
    number TEXT,
    year BIGINT,
    symbol TEXT,
    reference TEXT,
    reference_key TEXT,
    issued_on TEXT,
    subject TEXT NOT NULL,
    as_written TEXT,
    unit_id BIGINT REFERENCES units(id),
    search_key TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_reference ON documents (reference_key);
CREATE INDEX documents_kind_year ON documents (kind, year);

-- Who issued it, in the order printed ("Bộ Công an", "Ban Thường trực Ủy
-- ban Trung ương MTTQ Việt Nam").
CREATE TABLE document_issuers (
    document_id BIGINT NOT NULL REFERENCES documents(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);
CREATE INDEX document_issuers_key ON document_issuers (name_key);

-- Other ways the same document is cited ("09/Ctr-BCA-TTTW").
CREATE TABLE document_aliases (
    id {pk},
    document_id BIGINT NOT NULL REFERENCES documents(id),
    reference TEXT NOT NULL,
    reference_key TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX document_aliases_key ON document_aliases (reference_key);
CREATE INDEX document_aliases_document ON document_aliases (document_id);

-- Files kept with a document (PDF, DOCX), with their SHA-256.
CREATE TABLE document_files (
    id {pk},
    document_id BIGINT NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    body {blob} NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX document_files_document ON document_files (document_id);

-- A coordination programme or plan. `kind`: chuong_trinh | ke_hoach.
-- `unit_id` NULL: national. `state`: in_force | replaced | ended.
CREATE TABLE programmes (
    id {pk},
    document_id BIGINT REFERENCES documents(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    signed_on TEXT,
    stage_from BIGINT,
    stage_to BIGINT,
    implements_id BIGINT REFERENCES programmes(id),
    state TEXT NOT NULL,
    replaced_by_id BIGINT REFERENCES programmes(id),
    ended_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programmes_unit ON programmes (unit_id);

-- The parties of a programme, in order: a unit's body (`body`: cong_an |
-- mttq | ubnd | khac) or another organisation by name.
CREATE TABLE programme_parties (
    id {pk},
    programme_id BIGINT NOT NULL REFERENCES programmes(id),
    position BIGINT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    body TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX programme_parties_programme ON programme_parties (programme_id);

-- Its content items (obligations), each with the party responsible.
CREATE TABLE programme_items (
    id {pk},
    programme_id BIGINT NOT NULL REFERENCES programmes(id),
    position BIGINT NOT NULL,
    content TEXT NOT NULL,
    party_id BIGINT REFERENCES programme_parties(id)
);
CREATE INDEX programme_items_programme ON programme_items (programme_id);

-- A conference or event. `kind`: so_ket | tong_ket | ngay_hoi | dien_dan |
-- le_ky_ket | khac. `unit_id`: the unit that held it (its subtree and
-- lineage count it). `stage_from`/`stage_to`: the years it reviews.
CREATE TABLE conferences (
    id {pk},
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    unit_id BIGINT NOT NULL REFERENCES units(id),
    stage_from BIGINT,
    stage_to BIGINT,
    attendance BIGINT,
    notes TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX conferences_unit ON conferences (unit_id, held_on);
CREATE INDEX conferences_kind ON conferences (kind, held_on);

-- Who organised it, in order (`body` as for programme parties).
CREATE TABLE conference_organisers (
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    position BIGINT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    body TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (conference_id, position)
);

-- Notable attendees as the press names them: "Trung tá Nguyễn Thế Nam -
-- Trưởng phòng công tác dân vận, Cục xây dựng phong trào…, Bộ Công an".
CREATE TABLE conference_attendees (
    id {pk},
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    position BIGINT NOT NULL,
    rank_title TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    office TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conference_attendees_conference ON conference_attendees (conference_id);

-- The programmes a conference reviews (`role` = reviews) and the plans
-- signed there (`role` = signed).
CREATE TABLE conference_programmes (
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    programme_id BIGINT NOT NULL REFERENCES programmes(id),
    role TEXT NOT NULL,
    PRIMARY KEY (conference_id, programme_id, role)
);
CREATE INDEX conference_programmes_programme ON conference_programmes (programme_id);

-- The antq reviews presented there.
CREATE TABLE conference_reviews (
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    PRIMARY KEY (conference_id, review_id)
);

-- Photos with captions (metadata stripped before storage).
CREATE TABLE conference_photos (
    id {pk},
    conference_id BIGINT NOT NULL REFERENCES conferences(id),
    position BIGINT NOT NULL,
    caption TEXT NOT NULL,
    credit TEXT NOT NULL DEFAULT '',
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    body {blob} NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX conference_photos_conference ON conference_photos (conference_id);

-- Award forms (Bằng khen, Giấy khen, Cờ thi đua, Kỷ niệm chương…), as data.
-- `indicator`: the catalogue indicator its counts feed (kt_bang_khen), if any.
CREATE TABLE award_forms (
    id {pk},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    indicator TEXT,
    position BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);

-- Issuing offices: "Chủ tịch UBND tỉnh", "Ủy ban MTTQ Việt Nam tỉnh",
-- "Giám đốc Công an tỉnh", "Bộ trưởng Bộ Công an"… `level`: national |
-- province | commune (the level of the unit it belongs to); `body`: cong_an |
-- mttq | ubnd | khac (the side that records its decisions).
CREATE TABLE award_offices (
    id {pk},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);

-- Which office may give which form, and on what legal basis.
CREATE TABLE award_rules (
    office_id BIGINT NOT NULL REFERENCES award_offices(id),
    form_id BIGINT NOT NULL REFERENCES award_forms(id),
    basis TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (office_id, form_id)
);

-- An award: one decision of one office giving one form, from proposal to
-- decision. `unit_id`: the unit whose movement it rewards (counted in its
-- subtree and lineage); `issuer_unit_id`: the unit of the issuing office
-- (Điện Biên for "Chủ tịch UBND tỉnh Điện Biên"). `state`: proposed |
-- decided | refused. `year`: the year it counts in (of the decision, or of
-- the proposal until decided).
CREATE TABLE awards (
    id {pk},
    form_id BIGINT NOT NULL REFERENCES award_forms(id),
    office_id BIGINT NOT NULL REFERENCES award_offices(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    issuer_unit_id BIGINT NOT NULL REFERENCES units(id),
    state TEXT NOT NULL,
    year BIGINT NOT NULL,
    proposed_on TEXT,
    decision_reference TEXT,
    decided_on TEXT,
    document_id BIGINT REFERENCES documents(id),
    reason TEXT NOT NULL DEFAULT '',
    conference_id BIGINT REFERENCES conferences(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX awards_unit_year ON awards (unit_id, year);
CREATE INDEX awards_conference ON awards (conference_id);

-- Its recipients: a collective (`kind` = tap_the: a unit, an organisation,
-- a team, by name) or an individual (`kind` = ca_nhan: name, position,
-- body). `state`: proposed | accepted | rejected.
CREATE TABLE award_recipients (
    id {pk},
    award_id BIGINT NOT NULL REFERENCES awards(id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    organisation_id BIGINT REFERENCES organisations(id),
    office TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX award_recipients_award ON award_recipients (award_id);
