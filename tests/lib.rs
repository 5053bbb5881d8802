//! Test support for the graphspec workspace tests.
