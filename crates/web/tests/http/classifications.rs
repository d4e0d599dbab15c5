//! The classifications register over HTTP. (Owned by the classifications work of issue 13.)
