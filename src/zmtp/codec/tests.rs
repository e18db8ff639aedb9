//! The codec's round trips, limits and hostile headers.

use super::*;

fn enc(version: Version, more: bool, command: bool, body: &[u8]) -> BytesMut {
    let mut out = BytesMut::new();
    encode_frame(version, more, command, body, &mut out);
    out
}

#[test]
fn v3_short_frame_roundtrip() {
    let mut buf = enc(Version::V3_1, true, false, b"hello");
    assert_eq!(&buf[..2], &[0x01, 5]);
    let f = Decoder::new(Version::V3_1, -1)
        .decode(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(
        f,
        Frame {
            more: true,
            command: false,
            body: Bytes::from_static(b"hello")
        }
    );
    assert!(buf.is_empty());
}

#[test]
fn v3_long_frame_starts_at_256_bytes() {
    let body = vec![7u8; 256];
    let mut buf = enc(Version::V3_1, false, false, &body);
    assert_eq!(&buf[..9], &[0x02, 0, 0, 0, 0, 0, 0, 1, 0]);
    let f = Decoder::new(Version::V3_1, -1)
        .decode(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(f.body.len(), 256);
    assert_eq!(enc(Version::V3_1, false, false, &[0; 255])[..2], [0, 255]);
}

#[test]
fn command_flag_roundtrips() {
    let mut out = BytesMut::new();
    encode_command(Version::V3_1, b"PING", &[0, 10], &mut out);
    assert_eq!(&out[..], b"\x04\x07\x04PING\x00\x0a");
    let f = Decoder::new(Version::V3_1, -1)
        .decode(&mut out)
        .unwrap()
        .unwrap();
    assert!(f.command && !f.more);
    assert_eq!(&f.body[..], b"\x04PING\x00\x0a");
}

#[test]
fn long_encoding_of_small_frame_is_accepted() {
    let mut buf = BytesMut::from(&[0x02, 0, 0, 0, 0, 0, 0, 0, 3, b'a', b'b', b'c'][..]);
    let f = Decoder::new(Version::V3_0, -1)
        .decode(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(&f.body[..], b"abc");
}

#[test]
fn partial_frame_is_not_consumed() {
    let full = enc(Version::V3_1, false, false, b"abcdef");
    let mut d = Decoder::new(Version::V3_1, -1);
    for cut in 0..full.len() {
        let mut part = BytesMut::from(&full[..cut]);
        assert_eq!(d.decode(&mut part).unwrap(), None);
        assert_eq!(part.len(), cut);
    }
}

#[test]
fn needed_reports_header_then_whole_frame() {
    let d = Decoder::new(Version::V3_1, -1);
    assert_eq!(d.needed(&[]), 2);
    assert_eq!(d.needed(&[0x00]), 2);
    assert_eq!(d.needed(&[0x00, 5]), 7);
    assert_eq!(d.needed(&[0x02]), 9);
    assert_eq!(d.needed(&[0x02, 0, 0, 0, 0, 0, 1, 0, 0]), 9 + 65536);
    let d1 = Decoder::new(Version::V1, -1);
    assert_eq!(d1.needed(&[]), 2);
    assert_eq!(d1.needed(&[0xFF]), 10);
    assert_eq!(d1.needed(&[6]), 2);
    assert_eq!(d1.needed(&[6, 0]), 7);
}

#[test]
fn oversized_frame_fails_on_header_alone() {
    let mut d = Decoder::new(Version::V3_1, 10);
    let mut buf = BytesMut::from(&[0x00, 11][..]);
    assert_eq!(
        d.decode(&mut buf),
        Err(ProtocolError::TooLarge { size: 11, max: 10 })
    );
    let mut buf = BytesMut::from(&[0x00, 10][..]);
    assert_eq!(d.decode(&mut buf), Ok(None));
    // Long size with an absurd length and no body at all.
    let mut buf = BytesMut::from(&[0x02, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF][..]);
    assert!(matches!(
        d.decode(&mut buf),
        Err(ProtocolError::TooLarge { .. })
    ));
    assert_eq!(
        ProtocolError::TooLarge { size: 1, max: 0 }.errno(),
        errno::EMSGSIZE
    );
}

#[test]
fn max_msg_size_zero_allows_empty_frames_only() {
    let mut d = Decoder::new(Version::V3_1, 0);
    let mut buf = BytesMut::from(&[0x00, 0][..]);
    assert!(d.decode(&mut buf).unwrap().unwrap().body.is_empty());
    let mut buf = BytesMut::from(&[0x00, 1, 0][..]);
    assert!(d.decode(&mut buf).is_err());
}

#[test]
fn unlimited_still_refuses_sizes_beyond_isize() {
    let mut d = Decoder::new(Version::V3_1, -1);
    let mut buf = BytesMut::from(&[0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF][..]);
    assert!(matches!(
        d.decode(&mut buf),
        Err(ProtocolError::TooLarge { max: -1, .. })
    ));
}

/// A long-form header announcing `len` bytes of body, in `version`'s
/// framing (1.0 counts the flags octet in its size).
fn long_header(version: Version, command: bool, len: u64) -> Vec<u8> {
    if version.is_v2_framing() {
        let mut h = vec![FLAG_LONG | if command { FLAG_COMMAND } else { 0 }];
        h.extend_from_slice(&len.to_be_bytes());
        h
    } else {
        let mut h = vec![0xFF];
        h.extend_from_slice(&len.wrapping_add(1).to_be_bytes());
        h.push(0);
        h
    }
}

#[test]
fn huge_announced_lengths_on_every_revision_are_only_reported() {
    // The decoder never allocates: a header announcing any size leaves
    // the buffer untouched (decode waits) and large_header reports the
    // size for the caller to grow storage as bytes arrive.
    let versions = [Version::V1, Version::V2, Version::V3_0, Version::V3_1];
    for version in versions {
        for len in [1u64 << 20, 1 << 40, 1 << 62, (1 << 63) - 2] {
            let d = Decoder::new(version, -1);
            let hdr = long_header(version, false, len);
            let mut buf = BytesMut::from(&hdr[..]);
            buf.extend_from_slice(b"some body bytes");
            let before = buf.len();
            assert_eq!(Decoder::new(version, -1).decode(&mut buf), Ok(None));
            assert_eq!(buf.len(), before, "{version:?} {len}");
            let h = d.large_header(&buf, 64 * 1024).unwrap().unwrap();
            assert_eq!(h.body_len as u64, len, "{version:?}");
            assert_eq!(h.header_len, hdr.len());
            assert!(!h.command);
            assert_eq!(d.needed(&buf), hdr.len() + len as usize);
            // With ZMQ_MAXMSGSIZE set, the header alone is refused.
            let mut limited = Decoder::new(version, 1 << 20);
            let r = limited.decode(&mut buf);
            if len > 1 << 20 {
                assert!(matches!(r, Err(ProtocolError::TooLarge { .. })), "{r:?}");
            } else {
                assert_eq!(r, Ok(None));
            }
        }
        // Beyond isize::MAX: refused even when unlimited.
        for len in [1u64 << 63, u64::MAX - 1] {
            let mut buf = BytesMut::from(&long_header(version, false, len)[..]);
            let r = Decoder::new(version, -1).decode(&mut buf);
            assert!(
                matches!(r, Err(ProtocolError::TooLarge { .. })),
                "{version:?} {len}"
            );
        }
    }
}

#[test]
fn large_header_reports_commands_too() {
    let mut buf = BytesMut::from(&long_header(Version::V3_1, true, 1 << 40)[..]);
    let h = Decoder::new(Version::V3_1, -1)
        .large_header(&buf, 64 * 1024)
        .unwrap()
        .unwrap();
    assert!(h.command && !h.more);
    // Below `min`, or incomplete: nothing.
    assert_eq!(
        Decoder::new(Version::V3_1, -1).large_header(&buf, usize::MAX),
        Ok(None)
    );
    buf.truncate(5);
    assert_eq!(
        Decoder::new(Version::V3_1, -1).large_header(&buf, 1),
        Ok(None)
    );
}

#[test]
fn truncated_frames_on_every_revision_wait_without_consuming() {
    for version in [Version::V1, Version::V2, Version::V3_0, Version::V3_1] {
        for body_len in [0usize, 1, 200, 300, 70_000] {
            let full = enc(version, true, false, &vec![9u8; body_len]);
            let mut d = Decoder::new(version, -1);
            for cut in 0..full.len().min(400) {
                let mut part = BytesMut::from(&full[..cut]);
                assert_eq!(
                    d.decode(&mut part),
                    Ok(None),
                    "{version:?} {body_len} {cut}"
                );
                assert_eq!(part.len(), cut);
            }
            let mut whole = full.clone();
            assert_eq!(d.decode(&mut whole).unwrap().unwrap().body.len(), body_len);
        }
    }
}

#[test]
fn reserved_flags_are_refused() {
    for bit in 3..8 {
        let mut buf = BytesMut::from(&[1u8 << bit, 0][..]);
        let r = Decoder::new(Version::V3_1, -1).decode(&mut buf);
        assert_eq!(r, Err(ProtocolError::ReservedFlags(1 << bit)));
    }
    assert_eq!(ProtocolError::ReservedFlags(8).errno(), errno::EPROTO);
}

#[test]
fn v1_short_frame_roundtrip() {
    let mut buf = enc(Version::V1, true, false, b"abc");
    assert_eq!(&buf[..], &[4, 1, b'a', b'b', b'c']);
    let f = Decoder::new(Version::V1, -1)
        .decode(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(
        f,
        Frame {
            more: true,
            command: false,
            body: Bytes::from_static(b"abc")
        }
    );
}

#[test]
fn v1_uses_long_form_from_254_bytes() {
    let b = enc(Version::V1, false, false, &[1; 253]);
    assert_eq!(&b[..2], &[254, 0]);
    let mut b = enc(Version::V1, false, false, &[1; 254]);
    assert_eq!(&b[..10], &[0xFF, 0, 0, 0, 0, 0, 0, 0, 255, 0]);
    let f = Decoder::new(Version::V1, -1)
        .decode(&mut b)
        .unwrap()
        .unwrap();
    assert_eq!(f.body.len(), 254);
}

#[test]
fn v1_zero_size_is_refused() {
    let mut d = Decoder::new(Version::V1, -1);
    assert_eq!(
        d.decode(&mut BytesMut::from(&[0u8][..])),
        Err(ProtocolError::EmptyV1Frame)
    );
    let mut long_zero = BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 0][..]);
    assert_eq!(d.decode(&mut long_zero), Err(ProtocolError::EmptyV1Frame));
}

#[test]
fn v1_ignores_flag_bits_other_than_more() {
    let mut buf = BytesMut::from(&[1u8, 0x7E, 1, 0x7F][..]);
    let mut d = Decoder::new(Version::V1, -1);
    assert!(!d.decode(&mut buf).unwrap().unwrap().more);
    assert!(d.decode(&mut buf).unwrap().unwrap().more);
}

#[test]
fn v1_size_limit_counts_body_only() {
    let mut d = Decoder::new(Version::V1, 3);
    assert!(d
        .decode(&mut BytesMut::from(&[4u8, 0, 1, 2, 3][..]))
        .unwrap()
        .is_some());
    assert!(matches!(
        d.decode(&mut BytesMut::from(&[5u8][..])),
        Err(ProtocolError::TooLarge { size: 4, .. })
    ));
}

#[test]
fn frames_share_the_read_buffer() {
    let mut buf = enc(Version::V3_1, false, false, b"0123456789");
    let base = buf.as_ptr() as usize;
    let f = Decoder::new(Version::V3_1, -1)
        .decode(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(f.body.as_ptr() as usize, base + 2);
}

#[test]
fn v2_accepts_command_flag_like_libzmq() {
    let mut buf = BytesMut::from(&[0x04u8, 1, b'x'][..]);
    assert!(
        Decoder::new(Version::V2, -1)
            .decode(&mut buf)
            .unwrap()
            .unwrap()
            .command
    );
}

#[test]
fn encoder_writes_header_only_for_writev() {
    let mut out = BytesMut::new();
    Encoder::new(Version::V3_1).message_header(true, 1000, &mut out);
    assert_eq!(&out[..], &[0x03, 0, 0, 0, 0, 0, 0, 0x03, 0xE8]);
}

#[test]
fn random_bytes_never_panic_the_decoder() {
    let mut rng = crate::zmtp::testutil::XorShift::new(0x5eed);
    for round in 0..2000 {
        let version = [Version::V1, Version::V2, Version::V3_0, Version::V3_1][round % 4];
        let max = [-1i64, 0, 100, 1 << 20][(round / 4) % 4];
        let len = rng.below(300);
        let data = rng.bytes(len);
        let mut d = Decoder::new(version, max);
        let mut buf = BytesMut::new();
        let mut pos = 0;
        'feed: while pos < data.len() {
            let n = 1 + rng.below(data.len() - pos);
            buf.extend_from_slice(&data[pos..pos + n]);
            pos += n;
            loop {
                let need = d.needed(&buf);
                match d.decode(&mut buf) {
                    Ok(Some(_)) => continue,
                    Ok(None) => {
                        assert!(need > buf.len());
                        break;
                    }
                    Err(_) => break 'feed,
                }
            }
        }
    }
}
