//! Metadata property lists, as carried by READY, INITIATE and ZAP replies
//! (RFC 23 §The NULL Security Mechanism: `property = name value`,
//! `name = short-size 1*255name-char`, `value = 4OCTET *OCTET`).
//!
//! Parsing is zero-copy (values are slices of the command body) and
//! strict about structure: a truncated property, a zero-length name, a
//! value longer than 2^31-1 or a stray trailing octet is an error. Names
//! must be UTF-8 but are otherwise not restricted to the RFC's name-chars:
//! libzmq lets applications set any "X-..." name through `ZMQ_METADATA`
//! and sends it as is, so refusing them would break real peers.

use bytes::{BufMut, Bytes, BytesMut};

/// A property list entry: name and value.
pub type Property = (String, Bytes);

/// Why a property list was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetadataError {
    /// The list ends inside a property.
    Truncated,
    /// A name of length zero (RFC 23: "Zero-sized names are not valid").
    EmptyName,
    /// A name that is not UTF-8.
    InvalidName,
    /// A value size above 2^31-1 (RFC 23 bounds values to INT32_MAX).
    ValueTooLong,
}

/// Whether `name` is a valid RFC 23 property name (1-255 of ALPHA, DIGIT,
/// "-", "_", ".", "+"). For checking names we produce; received names are
/// held to the looser rule above.
pub fn is_rfc_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'+'))
}

/// Encoded size of one property.
pub fn property_len(name: &[u8], value_len: usize) -> usize {
    1 + name.len() + 4 + value_len
}

/// Appends one property. `name` must be 1..=255 bytes and the value at
/// most 2^31-1 bytes; the caller (option validation) guarantees both.
pub fn encode_property(name: &[u8], value: &[u8], out: &mut BytesMut) {
    debug_assert!(!name.is_empty() && name.len() <= 255);
    debug_assert!(value.len() <= 0x7FFF_FFFF);
    let name = &name[..name.len().min(255)];
    out.reserve(property_len(name, value.len()));
    out.put_u8(name.len() as u8);
    out.extend_from_slice(name);
    out.put_u32(value.len() as u32);
    out.extend_from_slice(value);
}

/// Parses a whole property list. Values share `data`'s storage.
pub fn parse(data: &Bytes) -> Result<Vec<Property>, MetadataError> {
    let mut props = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let name_len = usize::from(data[pos]);
        pos += 1;
        if name_len == 0 {
            return Err(MetadataError::EmptyName);
        }
        if data.len() - pos < name_len {
            return Err(MetadataError::Truncated);
        }
        let name = std::str::from_utf8(&data[pos..pos + name_len])
            .map_err(|_| MetadataError::InvalidName)?;
        let name = name.to_owned();
        pos += name_len;
        if data.len() - pos < 4 {
            return Err(MetadataError::Truncated);
        }
        let value_len =
            u32::from_be_bytes([data[pos], data[pos + 1], data[pos + 2], data[pos + 3]]);
        pos += 4;
        if value_len > 0x7FFF_FFFF {
            return Err(MetadataError::ValueTooLong);
        }
        let value_len = value_len as usize;
        if data.len() - pos < value_len {
            return Err(MetadataError::Truncated);
        }
        props.push((name, data.slice(pos..pos + value_len)));
        pos += value_len;
    }
    Ok(props)
}

/// The first value named `name`, compared case-sensitively as libzmq does.
/// First match wins, like libzmq's property map (insert keeps the first).
pub fn lookup<'a>(props: &'a [Property], name: &str) -> Option<&'a Bytes> {
    props.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(props: &[(&str, &[u8])]) -> Bytes {
        let mut out = BytesMut::new();
        for (n, v) in props {
            encode_property(n.as_bytes(), v, &mut out);
        }
        out.freeze()
    }

    #[test]
    fn roundtrip_keeps_order_and_values() {
        let data = list(&[
            ("Socket-Type", b"DEALER"),
            ("Identity", b""),
            ("X-Foo", b"\0bar"),
        ]);
        let props = parse(&data).unwrap();
        assert_eq!(props.len(), 3);
        assert_eq!(
            props[0],
            ("Socket-Type".to_owned(), Bytes::from_static(b"DEALER"))
        );
        assert_eq!(props[1].1.len(), 0);
        assert_eq!(&props[2].1[..], b"\0bar");
    }

    #[test]
    fn encoding_matches_rfc_example() {
        let data = list(&[("Socket-Type", b"DEALER")]);
        assert_eq!(&data[..], b"\x0bSocket-Type\x00\x00\x00\x06DEALER");
    }

    #[test]
    fn empty_list_is_valid() {
        assert_eq!(parse(&Bytes::new()).unwrap(), vec![]);
    }

    #[test]
    fn truncated_lists_are_refused() {
        let data = list(&[("Socket-Type", b"DEALER")]);
        for cut in 1..data.len() {
            let r = parse(&data.slice(..cut));
            assert!(r.is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn trailing_octet_is_refused() {
        let mut d = BytesMut::from(&list(&[("A", b"b")])[..]);
        d.put_u8(3);
        assert_eq!(parse(&d.freeze()), Err(MetadataError::Truncated));
    }

    #[test]
    fn zero_length_name_is_refused() {
        assert_eq!(
            parse(&Bytes::from_static(b"\x00\x00\x00\x00\x00")),
            Err(MetadataError::EmptyName)
        );
    }

    #[test]
    fn non_utf8_name_is_refused() {
        assert_eq!(
            parse(&Bytes::from_static(b"\x01\xff\x00\x00\x00\x00")),
            Err(MetadataError::InvalidName)
        );
    }

    #[test]
    fn value_size_above_int32_max_is_refused() {
        let r = parse(&Bytes::from_static(b"\x01A\x80\x00\x00\x00"));
        assert_eq!(r, Err(MetadataError::ValueTooLong));
    }

    #[test]
    fn application_names_outside_rfc_charset_are_accepted() {
        // libzmq accepts ZMQ_METADATA "X-my key:v" and sends it verbatim.
        let data = list(&[("X-my key", b"v")]);
        assert_eq!(parse(&data).unwrap()[0].0, "X-my key");
        assert!(!is_rfc_name(b"X-my key"));
        assert!(is_rfc_name(b"X-my_key.v2+"));
        assert!(!is_rfc_name(b""));
    }

    #[test]
    fn lookup_takes_first_match() {
        let props = parse(&list(&[("A", b"1"), ("A", b"2")])).unwrap();
        assert_eq!(&lookup(&props, "A").unwrap()[..], b"1");
        assert_eq!(lookup(&props, "a"), None);
    }

    #[test]
    fn values_share_the_command_body() {
        let data = list(&[("Name", b"value")]);
        let props = parse(&data).unwrap();
        let off = props[0].1.as_ptr() as usize - data.as_ptr() as usize;
        assert_eq!(off, 1 + 4 + 4);
    }

    #[test]
    fn random_lists_never_panic() {
        let mut rng = crate::zmtp::testutil::XorShift::new(77);
        for _ in 0..3000 {
            let n = rng.below(40);
            let _ = parse(&Bytes::from(rng.bytes(n)));
        }
    }
}
