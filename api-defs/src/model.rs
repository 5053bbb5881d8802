//! Graph resource types (placeholder).
