-- v15: the public portal (issue 16): articles and their images, the editors'
-- inbox ("Gửi ban biên tập"), the public side of the document library (a
-- public flag, relations, extracted full text), the indicators whose
-- approved figures are open data, and the change log the search index of
-- every node follows. Text columns hold NFC text; `*_key` columns the
-- folded form; times are UTC timestamps, days ISO `YYYY-MM-DD`.

ALTER TABLE documents ADD COLUMN public BIGINT NOT NULL DEFAULT 0;
-- 1 in force, 0 expired (replaced or ended).
ALTER TABLE documents ADD COLUMN in_force BIGINT NOT NULL DEFAULT 1;

-- "Implements" and "replaces" between documents; "replaced by" is read backwards.
CREATE TABLE document_relations (
    document_id BIGINT NOT NULL REFERENCES documents(id),
    related_id BIGINT NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    PRIMARY KEY (document_id, related_id, kind)
);
CREATE INDEX document_relations_related ON document_relations (related_id);

-- The text of a document's files, extracted on upload (DOCX, PDF, text).
CREATE TABLE document_texts (
    file_id BIGINT PRIMARY KEY REFERENCES document_files(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    body TEXT NOT NULL,
    extracted_at TEXT NOT NULL
);
CREATE INDEX document_texts_document ON document_texts (document_id);

CREATE TABLE articles (
    id {pk},
    slug TEXT NOT NULL UNIQUE,
    -- The unit whose editors own the article.
    unit_id BIGINT NOT NULL REFERENCES units(id),
    headline TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    -- Paragraphs separated by blank lines; "> " quotes; "[ảnh N]" an image.
    body TEXT NOT NULL DEFAULT '',
    author_line TEXT NOT NULL DEFAULT '',
    photo_credit TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL,
    -- The province or commune the article concerns, and today's province code.
    place_unit_id BIGINT REFERENCES units(id),
    province_code TEXT,
    tags TEXT NOT NULL DEFAULT '',
    -- draft, submitted, returned, published, unpublished
    state TEXT NOT NULL,
    publish_at TEXT,
    published_at TEXT,
    correction TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    conference_id BIGINT REFERENCES conferences(id),
    search_key TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX articles_state_published ON articles (state, published_at);
CREATE INDEX articles_topic ON articles (topic, published_at);
CREATE INDEX articles_province ON articles (province_code, published_at);
CREATE INDEX articles_unit ON articles (unit_id);

CREATE TABLE article_images (
    id {pk},
    article_id BIGINT NOT NULL REFERENCES articles(id),
    position BIGINT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (article_id, position)
);

-- Each image resized into a few widths, metadata stripped.
CREATE TABLE article_image_sizes (
    image_id BIGINT NOT NULL REFERENCES article_images(id),
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    body {blob} NOT NULL,
    PRIMARY KEY (image_id, width)
);

-- The documents an article cites.
CREATE TABLE article_documents (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (article_id, document_id)
);
CREATE INDEX article_documents_document ON article_documents (document_id);

-- "Gửi ban biên tập": nothing about the sender beyond what they typed, and
-- the day (not the time) it came.
CREATE TABLE editor_messages (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- message, correction, story
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    article_id BIGINT REFERENCES articles(id),
    -- new, seen, answered, archived, spam
    state TEXT NOT NULL,
    received_on TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    answered_by TEXT,
    answered_at TEXT,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment {blob},
    draft_article_id BIGINT REFERENCES articles(id),
    updated_at TEXT NOT NULL
);
CREATE INDEX editor_messages_unit_state ON editor_messages (unit_id, state);

-- The indicators whose approved figures are public, and the lowest level
-- (province or commune) at which they are shown.
CREATE TABLE public_indicators (
    indicator_code TEXT PRIMARY KEY,
    lowest_level TEXT NOT NULL,
    chosen_by TEXT NOT NULL,
    chosen_at TEXT NOT NULL
);

-- Every change to what the search index holds (article, document), in
-- order; each node's indexer follows it.
CREATE TABLE search_changes (
    id {pk},
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    changed_at TEXT NOT NULL
);
