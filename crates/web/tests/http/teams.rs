//! The teams register over HTTP. (Owned by the teams work of issue 13.)
