//! HTTP tests of issue 12: awards.
