//! ZMTP, sans-IO (being written).
