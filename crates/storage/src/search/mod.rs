//! "Tìm kiếm văn bản": one tantivy index over the public documents and the
//! published articles. The database is the source of truth: the index is
//! rebuilt from it when missing or behind (`indexer::catch_up`), and follows
//! `search_changes` (`indexer::follow`); the last change applied is kept in
//! the commit payload. One writer per process (a mutex around it); writes
//! and searches are blocking calls (callers on tokio use `spawn_blocking`
//! for writes; a search takes well under a millisecond on the demo).

pub mod analyser;
pub mod bench;
pub mod generate;
pub mod indexer;
pub mod items;
pub mod query;

use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use items::Item;
pub use query::{Hit, Results, SearchQuery, Suggestion, MAX_PAGE, MAX_QUERY, PER_PAGE};

use crate::error::{StorageError, StorageResult};
use crate::portal::changes::ItemKind;

/// A tantivy error as a storage error (logged by the web layer as internal).
fn ix(e: impl std::fmt::Display) -> StorageError {
    StorageError::Index(e.to_string())
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    key: Field,
    kind: Field,
    item_id: Field,
    title: Field,
    title_exact: Field,
    title_fold: Field,
    body: Field,
    body_exact: Field,
    body_fold: Field,
    body_pairs: Field,
    url: Field,
    date: Field,
    meta: Field,
    refkey: Field,
    doc_kind: Field,
    issuer: Field,
    year: Field,
    in_force: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        item_id: b.add_i64_field("item_id", STORED),
        title: b.add_text_field("title", STORED),
        title_exact: b.add_text_field("title_exact", text(analyser::EXACT)),
        title_fold: b.add_text_field("title_fold", text(analyser::FOLD)),
        body: b.add_text_field("body", STORED),
        body_exact: b.add_text_field("body_exact", text(analyser::EXACT)),
        body_fold: b.add_text_field("body_fold", text(analyser::FOLD)),
        body_pairs: b.add_text_field("body_pairs", text(analyser::PAIRS)),
        url: b.add_text_field("url", STORED),
        date: b.add_text_field("date", STORED),
        meta: b.add_text_field("meta", STORED),
        refkey: b.add_text_field("refkey", STRING),
        doc_kind: b.add_text_field("doc_kind", STRING | STORED),
        issuer: b.add_text_field("issuer", STRING),
        year: b.add_text_field("year", STRING),
        in_force: b.add_text_field("in_force", STRING),
    };
    (b.build(), fields)
}

struct Inner {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

/// The search index of this process (cheap to clone).
#[derive(Clone)]
pub struct Search(Arc<Inner>);

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Search")
    }
}

impl Search {
    /// An index in memory (tests, a server without a data directory).
    pub fn in_ram() -> StorageResult<Search> {
        let (schema, _) = schema();
        Search::with(Index::create_in_ram(schema))
    }

    /// The index in this directory, made (or remade, when its schema is
    /// not this version's) as needed; a remade index is empty and is
    /// filled by `indexer::catch_up`.
    pub fn open(dir: &Path) -> StorageResult<Search> {
        let (schema, _) = schema();
        std::fs::create_dir_all(dir).map_err(ix)?;
        let directory = MmapDirectory::open(dir).map_err(ix)?;
        if Index::exists(&directory).map_err(ix)? {
            match Index::open(directory.clone()) {
                Ok(index) if index.schema() == schema => return Search::with(index),
                _ => {
                    tracing::warn!(dir = %dir.display(), "search index of another version: remade");
                    std::fs::remove_dir_all(dir).map_err(ix)?;
                    std::fs::create_dir_all(dir).map_err(ix)?;
                }
            }
        }
        let directory = MmapDirectory::open(dir).map_err(ix)?;
        Search::with(Index::create(directory, schema, Default::default()).map_err(ix)?)
    }

    fn with(mut index: Index) -> StorageResult<Search> {
        analyser::register(index.tokenizers());
        // A large search reads its segments on every core (at most 4).
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if cores > 1 {
            index.set_multithread_executor(cores).map_err(ix)?;
        }
        let (_, fields) = schema();
        let writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).map_err(ix)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(ix)?;
        Ok(Search(Arc::new(Inner {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })))
    }

    /// The last change of `search_changes` the index holds; None when it
    /// was never filled from the database.
    pub fn applied(&self) -> StorageResult<Option<i64>> {
        let metas = self.0.index.load_metas().map_err(ix)?;
        Ok(metas.payload.and_then(|p| p.parse().ok()))
    }

    /// How many items the index holds.
    pub fn len(&self) -> u64 {
        self.0.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replace these items (remove `gone`, write `items` anew), and record
    /// `applied` as the last change held, in one commit.
    pub fn apply(
        &self,
        gone: &[(ItemKind, i64)],
        items: &[Item],
        applied: i64,
    ) -> StorageResult<()> {
        let f = &self.0.fields;
        let mut w = self
            .0
            .writer
            .lock()
            .map_err(|_| StorageError::Index("writer poisoned".into()))?;
        for (kind, id) in gone {
            w.delete_term(Term::from_field_text(f.key, &items::key(*kind, *id)));
        }
        for item in items {
            w.delete_term(Term::from_field_text(
                f.key,
                &items::key(item.kind, item.id),
            ));
            w.add_document(self.document(item)).map_err(ix)?;
        }
        let mut commit = w.prepare_commit().map_err(ix)?;
        commit.set_payload(&applied.to_string());
        commit.commit().map_err(ix)?;
        drop(w);
        self.0.reader.reload().map_err(ix)
    }

    /// Remove everything, without committing (a full rebuild).
    pub fn clear(&self) -> StorageResult<()> {
        let w = self
            .0
            .writer
            .lock()
            .map_err(|_| StorageError::Index("writer poisoned".into()))?;
        w.delete_all_documents().map_err(ix)?;
        Ok(())
    }

    /// Add items without committing (the full rebuild and the benchmark
    /// write in batches and commit once with [`Search::apply`]).
    pub fn add(&self, items: &[Item]) -> StorageResult<()> {
        let w = self
            .0
            .writer
            .lock()
            .map_err(|_| StorageError::Index("writer poisoned".into()))?;
        for item in items {
            w.add_document(self.document(item)).map_err(ix)?;
        }
        Ok(())
    }

    fn document(&self, item: &Item) -> TantivyDocument {
        let f = &self.0.fields;
        let title = analyser::visible(&item.title);
        let lead = analyser::visible(&item.lead);
        let body = if item.body.is_empty() {
            lead.clone()
        } else {
            format!("{lead}\n\n{}", analyser::visible(&item.body))
        };
        // The lead weighs like the title; the stored body starts with it.
        let heading = format!("{title}\n{lead}");
        let mut d = TantivyDocument::default();
        d.add_text(f.key, items::key(item.kind, item.id));
        d.add_text(f.kind, item.kind.code());
        d.add_i64(f.item_id, item.id);
        d.add_text(f.title, &title);
        d.add_text(f.title_exact, &heading);
        d.add_text(f.title_fold, &heading);
        d.add_text(f.body, &body);
        d.add_text(f.body_exact, &body);
        d.add_text(f.body_fold, &body);
        let folded = analyser::tokens(&mut analyser::folded(), &body);
        d.add_text(f.body_pairs, analyser::pairs(&folded).join(" "));
        d.add_text(f.url, &item.url);
        d.add_text(f.date, item.date.as_deref().unwrap_or(""));
        d.add_text(f.meta, &item.meta);
        for r in &item.references {
            d.add_text(f.refkey, antq_core::programmes::documents::reference_key(r));
        }
        if let Some(k) = &item.doc_kind {
            d.add_text(f.doc_kind, k);
        }
        for i in &item.issuers {
            d.add_text(f.issuer, antq_core::text::fold(i));
        }
        if let Some(y) = item.year {
            d.add_text(f.year, y.to_string());
        }
        if let Some(x) = item.in_force {
            d.add_text(f.in_force, if x { "1" } else { "0" });
        }
        d
    }
}
