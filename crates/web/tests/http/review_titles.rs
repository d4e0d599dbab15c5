//! HTTP tests of issue 12: review_titles.
