//! How an option's value travels: each kind decodes and validates the bytes
//! `zmq_setsockopt` gives into its field, and encodes the field back for
//! `zmq_getsockopt`. Every refusal is `EINVAL`, as in libzmq.

#![forbid(unsafe_code)]

use super::OptVal;
use crate::error::{Error, Result};
use bytes::Bytes;

/// An option's encoding and validation rule, for a field of type `T`.
pub(super) trait Kind<T> {
    /// Validates `v` and stores it into `field`.
    fn set(&self, field: &mut T, v: &[u8]) -> Result<()>;
    /// The value `getsockopt` answers; `None` for a write-only option.
    fn get(&self, field: &T) -> Option<OptVal>;
}

/// A C `int` of at least `min`.
pub(super) struct Int {
    pub min: i32,
}
impl Kind<i32> for Int {
    fn set(&self, field: &mut i32, v: &[u8]) -> Result<()> {
        let x = as_int(v)?;
        if x < self.min {
            return Err(Error::INVAL);
        }
        *field = x;
        Ok(())
    }
    fn get(&self, field: &i32) -> Option<OptVal> {
        Some(OptVal::Int(*field))
    }
}

/// A C `int` in `lo..=hi`.
pub(super) struct IntIn(pub i32, pub i32);
impl Kind<i32> for IntIn {
    fn set(&self, field: &mut i32, v: &[u8]) -> Result<()> {
        let x = as_int(v)?;
        if !(self.0..=self.1).contains(&x) {
            return Err(Error::INVAL);
        }
        *field = x;
        Ok(())
    }
    fn get(&self, field: &i32) -> Option<OptVal> {
        Some(OptVal::Int(*field))
    }
}

/// A TCP keepalive count or time: -1 (system default) or positive.
pub(super) struct Keepalive;
impl Kind<i32> for Keepalive {
    fn set(&self, field: &mut i32, v: &[u8]) -> Result<()> {
        let k = as_int(v)?;
        // -1 (the system's) or any count/time, 0 included (libzmq 4.3.5).
        if k < -1 {
            return Err(Error::INVAL);
        }
        *field = k;
        Ok(())
    }
    fn get(&self, field: &i32) -> Option<OptVal> {
        Some(OptVal::Int(*field))
    }
}

/// A boolean given as the int 0 or 1.
pub(super) struct Bool;
impl Kind<bool> for Bool {
    fn set(&self, field: &mut bool, v: &[u8]) -> Result<()> {
        *field = as_bool(v)?;
        Ok(())
    }
    fn get(&self, field: &bool) -> Option<OptVal> {
        Some(OptVal::Int(*field as i32))
    }
}

/// A boolean given as any int, non-zero meaning on.
pub(super) struct Flag;
impl Kind<bool> for Flag {
    fn set(&self, field: &mut bool, v: &[u8]) -> Result<()> {
        *field = as_int(v)? != 0;
        Ok(())
    }
    fn get(&self, field: &bool) -> Option<OptVal> {
        Some(OptVal::Int(*field as i32))
    }
}

/// An `int64_t`, any value.
pub(super) struct Int64;
impl Kind<i64> for Int64 {
    fn set(&self, field: &mut i64, v: &[u8]) -> Result<()> {
        let a: [u8; 8] = v.try_into().map_err(|_| Error::INVAL)?;
        *field = i64::from_ne_bytes(a);
        Ok(())
    }
    fn get(&self, field: &i64) -> Option<OptVal> {
        Some(OptVal::Int64(*field))
    }
}

/// A `uint64_t`, any value.
pub(super) struct Uint64;
impl Kind<u64> for Uint64 {
    fn set(&self, field: &mut u64, v: &[u8]) -> Result<()> {
        let a: [u8; 8] = v.try_into().map_err(|_| Error::INVAL)?;
        *field = u64::from_ne_bytes(a);
        Ok(())
    }
    fn get(&self, field: &u64) -> Option<OptVal> {
        Some(OptVal::Uint64(*field))
    }
}

/// Binary bytes, `min..=max` long, read back as they are.
pub(super) struct Blob {
    pub min: usize,
    pub max: usize,
}
impl Kind<Bytes> for Blob {
    fn set(&self, field: &mut Bytes, v: &[u8]) -> Result<()> {
        if v.len() < self.min || v.len() > self.max {
            return Err(Error::INVAL);
        }
        *field = Bytes::copy_from_slice(v);
        Ok(())
    }
    fn get(&self, field: &Bytes) -> Option<OptVal> {
        Some(OptVal::Bin(field.clone()))
    }
}

/// Bytes, `1..=max` of them (libzmq's "relaxed" string options refuse an
/// empty value, NULL or not), read back as a NUL-terminated string.
pub(super) struct Text {
    pub max: usize,
}
impl Kind<Bytes> for Text {
    fn set(&self, field: &mut Bytes, v: &[u8]) -> Result<()> {
        if v.is_empty() || v.len() > self.max {
            return Err(Error::INVAL);
        }
        *field = Bytes::copy_from_slice(v);
        Ok(())
    }
    fn get(&self, field: &Bytes) -> Option<OptVal> {
        Some(OptVal::Text(field.clone()))
    }
}

/// A UTF-8 string, cut at its first NUL; `raw_max` bounds the bytes given,
/// `text_max` the string kept.
pub(super) struct Str {
    pub raw_max: usize,
    pub text_max: usize,
}
impl Kind<String> for Str {
    fn set(&self, field: &mut String, v: &[u8]) -> Result<()> {
        if v.len() > self.raw_max {
            return Err(Error::INVAL);
        }
        let s = as_string(v)?;
        if s.len() > self.text_max {
            return Err(Error::INVAL);
        }
        *field = s;
        Ok(())
    }
    fn get(&self, field: &String) -> Option<OptVal> {
        Some(OptVal::Str(field.clone()))
    }
}

/// A time in ms kept in deciseconds, as it travels in a 16-bit PING field
/// (RFC 37): libzmq divides first, so -99..=6_553_599 ms (a value in
/// -99..0 is 0).
pub(super) struct Deciseconds;
impl Kind<u16> for Deciseconds {
    fn set(&self, field: &mut u16, v: &[u8]) -> Result<()> {
        let ds = as_int(v)? / 100;
        let ds = u16::try_from(ds).map_err(|_| Error::INVAL)?;
        *field = ds;
        Ok(())
    }
    fn get(&self, field: &u16) -> Option<OptVal> {
        Some(OptVal::Int(*field as i32 * 100))
    }
}

/// Write-only: each int is appended (`ZMQ_IPC_FILTER_*`).
pub(super) struct Append;
impl Kind<Vec<i32>> for Append {
    fn set(&self, field: &mut Vec<i32>, v: &[u8]) -> Result<()> {
        // (NULL, 0) empties the list; a value already listed stays once.
        if v.is_empty() {
            field.clear();
            return Ok(());
        }
        let x = as_int(v)?;
        if !field.contains(&x) {
            field.push(x);
        }
        Ok(())
    }
    fn get(&self, _: &Vec<i32>) -> Option<OptVal> {
        None
    }
}
impl Kind<Vec<u32>> for Append {
    fn set(&self, field: &mut Vec<u32>, v: &[u8]) -> Result<()> {
        if v.is_empty() {
            field.clear();
            return Ok(());
        }
        let x = as_int(v)? as u32;
        if !field.contains(&x) {
            field.push(x);
        }
        Ok(())
    }
    fn get(&self, _: &Vec<u32>) -> Option<OptVal> {
        None
    }
}

/// Write-only `ZMQ_TCP_ACCEPT_FILTER`: an address with an optional /mask is
/// appended, an empty value clears the list.
pub(super) struct AcceptFilter;
impl Kind<Vec<String>> for AcceptFilter {
    fn set(&self, field: &mut Vec<String>, v: &[u8]) -> Result<()> {
        if v.is_empty() {
            field.clear();
            return Ok(());
        }
        let s = std::str::from_utf8(v).map_err(|_| Error::INVAL)?;
        let s = s.trim_end_matches('\0');
        if s.is_empty() || s.len() > 255 || !valid_accept_filter(s) {
            return Err(Error::INVAL);
        }
        field.push(s.to_string());
        Ok(())
    }
    fn get(&self, _: &Vec<String>) -> Option<OptVal> {
        None
    }
}

/// Write-only `ZMQ_METADATA`: "X-name:value"; the first value given for a
/// name stays (libzmq keeps a map and inserts without replacing).
pub(super) struct Metadata;
impl Kind<Vec<(String, Bytes)>> for Metadata {
    fn set(&self, field: &mut Vec<(String, Bytes)>, v: &[u8]) -> Result<()> {
        let (name, value) = app_metadata_property(v)?;
        if !field.iter().any(|(n, _)| *n == name) {
            field.push((name, value));
        }
        Ok(())
    }
    fn get(&self, _: &Vec<(String, Bytes)>) -> Option<OptVal> {
        None
    }
}

/// A CURVE key as libzmq's `set_curve_key` takes it: 32 binary bytes, 40
/// Z85 characters, or 41 bytes holding 40 Z85 characters and a NUL.
pub(super) fn curve_key(v: &[u8]) -> Result<[u8; 32]> {
    let text = match v.len() {
        32 => return v.try_into().map_err(|_| Error::INVAL),
        40 => v,
        41 if v[40] == 0 => &v[..40],
        _ => return Err(Error::INVAL),
    };
    let mut key = [0u8; 32];
    crate::util::z85::decode_into(text, &mut key).map_err(|_| Error::INVAL)?;
    Ok(key)
}

pub fn as_int(v: &[u8]) -> Result<i32> {
    let a: [u8; 4] = v.try_into().map_err(|_| Error::INVAL)?;
    Ok(i32::from_ne_bytes(a))
}

pub fn as_bool(v: &[u8]) -> Result<bool> {
    match as_int(v)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Error::INVAL),
    }
}

fn as_string(v: &[u8]) -> Result<String> {
    let v = match v.iter().position(|&b| b == 0) {
        Some(p) => &v[..p],
        None => v,
    };
    String::from_utf8(v.to_vec()).map_err(|_| Error::INVAL)
}

/// `ZMQ_METADATA`'s "X-name:value": the name starts with "X-" and is at
/// most 255 bytes, the value is not empty. libzmq tells an int from a
/// string by its size, so a 4-byte property is refused.
fn app_metadata_property(v: &[u8]) -> Result<(String, Bytes)> {
    if v.is_empty() || v.len() == std::mem::size_of::<i32>() {
        return Err(Error::INVAL);
    }
    let colon = v.iter().position(|&b| b == b':').ok_or(Error::INVAL)?;
    let (name, value) = (&v[..colon], &v[colon + 1..]);
    if name.is_empty() || value.is_empty() || !name.starts_with(b"X-") || name.len() > 255 {
        return Err(Error::INVAL);
    }
    let name = String::from_utf8(name.to_vec()).map_err(|_| Error::INVAL)?;
    Ok((name, Bytes::copy_from_slice(value)))
}

/// A TCP accept filter is an IPv4/IPv6 address with an optional /mask.
pub(super) fn valid_accept_filter(s: &str) -> bool {
    let (addr, mask) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let max = match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    match mask {
        None => true,
        Some(m) => m.parse::<u32>().map(|m| m <= max).unwrap_or(false),
    }
}
