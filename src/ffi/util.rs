//! Utility exports (being written).
