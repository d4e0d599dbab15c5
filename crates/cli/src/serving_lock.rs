//! `data_dir/antq.lock`: held by `antq serve` for as long as it runs (the
//! operating system lets it go when the process ends, even by a crash), so
//! that `antq restore` can tell a server is still using the database.

use std::fs::{File, OpenOptions};

use fs4::fs_std::FileExt;
use std::path::Path;

/// The lock while held.
pub struct Held(#[allow(dead_code)] File);

/// Take the lock, or None when another process holds it.
pub fn try_take(data_dir: &Path) -> anyhow::Result<Option<Held>> {
    std::fs::create_dir_all(data_dir)?;
    let f = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(data_dir.join("antq.lock"))?;
    if f.try_lock_exclusive()? {
        Ok(Some(Held(f)))
    } else {
        Ok(None)
    }
}
