//! Metadata property lists, as carried by READY, INITIATE and ZAP replies
//! (RFC 23 §The NULL Security Mechanism: `property = name value`,
//! `name = short-size 1*255name-char`, `value = 4OCTET *OCTET`).
//!
//! Parsing is zero-copy (values are slices of the command body) and walks
//! the list exactly as libzmq 4.3.x `mechanism_t::parse_metadata` does, so
//! that a peer libzmq accepts is accepted here and one it refuses is
//! refused: while more than one octet is left, read a name size, the name,
//! a 4-octet value size and the value; a part that runs past the end stops
//! the walk, and the list is valid only if nothing is left over. So a
//! zero-length name is accepted (RFC 23 calls it invalid, libzmq takes it),
//! a list ending right after a name or right after a value size (whatever
//! that size says) is accepted without that property, and a stray
//! trailing octet or a value cut short is refused. Names are octets
//! in libzmq; here they are `String`s, so a name that is not UTF-8 is kept
//! with its invalid octets replaced (U+FFFD) rather than refusing the peer.
//! No size read from the list is used before it is checked against the
//! octets actually present: nothing here allocates by an announced length.

use bytes::{BufMut, Bytes, BytesMut};

/// A property list entry: name and value.
pub type Property = (String, Bytes);

/// Why a property list was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetadataError {
    /// A property runs past the end of the list, or octets are left over
    /// (libzmq: `EPROTO`).
    Truncated,
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
    // libzmq: `while (bytes_left > 1)`, each short part a `break`, then
    // `bytes_left > 0` is the error.
    while data.len() - pos > 1 {
        let name_len = usize::from(data[pos]);
        pos += 1;
        if data.len() - pos < name_len {
            break;
        }
        let name = String::from_utf8_lossy(&data[pos..pos + name_len]).into_owned();
        pos += name_len;
        if data.len() - pos < 4 {
            break;
        }
        let value_len =
            u32::from_be_bytes([data[pos], data[pos + 1], data[pos + 2], data[pos + 3]]);
        pos += 4;
        // Checked against the octets present before any use: a value
        // cannot be longer than what is left of the list.
        let Ok(value_len) = usize::try_from(value_len) else {
            break;
        };
        if data.len() - pos < value_len {
            break;
        }
        props.push((name, data.slice(pos..pos + value_len)));
        pos += value_len;
    }
    if pos < data.len() {
        return Err(MetadataError::Truncated);
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
        // libzmq stops (successfully) where nothing is left: right after
        // the name (12) and right after the value size (16), the property
        // is dropped and the list accepted.
        for cut in (1..data.len()).filter(|&c| c != 12 && c != 16) {
            let r = parse(&data.slice(..cut));
            assert_eq!(r, Err(MetadataError::Truncated), "cut at {cut}");
        }
        assert_eq!(parse(&data.slice(..12)), Ok(vec![]));
        assert_eq!(parse(&data.slice(..16)), Ok(vec![]));
    }

    #[test]
    fn property_length_past_the_end_is_refused() {
        // A value size of 200 with 4 octets present (libzmq: EPROTO).
        let r = parse(&Bytes::from_static(b"\x0bSocket-Type\x00\x00\x00\xc8PUSH"));
        assert_eq!(r, Err(MetadataError::Truncated));
        // Sizes up to 2^32-1 are only compared, never allocated.
        let r = parse(&Bytes::from_static(b"\x01A\xff\xff\xff\xffxyz"));
        assert_eq!(r, Err(MetadataError::Truncated));
        // ... but a value size with nothing after it ends the list.
        let r = parse(&Bytes::from_static(b"\x01A\x80\x00\x00\x00"));
        assert_eq!(r, Ok(vec![]));
        // A name size past the end.
        let r = parse(&Bytes::from_static(b"\xffAB"));
        assert_eq!(r, Err(MetadataError::Truncated));
    }

    #[test]
    fn trailing_octet_is_refused() {
        let mut d = BytesMut::from(&list(&[("A", b"b")])[..]);
        d.put_u8(3);
        assert_eq!(parse(&d.freeze()), Err(MetadataError::Truncated));
        // Even a zero octet: libzmq's loop needs two octets to start.
        assert_eq!(
            parse(&Bytes::from_static(b"\x00")),
            Err(MetadataError::Truncated)
        );
    }

    #[test]
    fn name_ending_the_list_without_value_size_is_accepted_like_libzmq() {
        let mut d = BytesMut::from(&list(&[("Socket-Type", b"DEALER")])[..]);
        d.extend_from_slice(b"\x05Hello");
        let props = parse(&d.freeze()).unwrap();
        assert_eq!(props.len(), 1);
        // Two octets of a value size: refused.
        let mut d = BytesMut::from(&list(&[("Socket-Type", b"DEALER")])[..]);
        d.extend_from_slice(b"\x05Hello\x00\x00");
        assert_eq!(parse(&d.freeze()), Err(MetadataError::Truncated));
    }

    #[test]
    fn zero_length_name_is_accepted_like_libzmq() {
        let props = parse(&Bytes::from_static(b"\x00\x00\x00\x00\x01v")).unwrap();
        assert_eq!(props, vec![(String::new(), Bytes::from_static(b"v"))]);
    }

    #[test]
    fn non_utf8_name_is_kept_lossily() {
        let props = parse(&Bytes::from_static(b"\x02\xffA\x00\x00\x00\x00")).unwrap();
        assert_eq!(props[0].0, "\u{fffd}A");
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
