//! The models register over HTTP. (Owned by the models work of issue 13.)
