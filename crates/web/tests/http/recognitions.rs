//! The recognitions register over HTTP. (Owned by the recognitions work of issue 13.)
