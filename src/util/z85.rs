//! Z85 (ZeroMQ RFC 32): 4 bytes ⇄ 5 printable characters, big-endian
//! base 85.
//!
//! The rules are libzmq's: encoding takes a multiple of 4 bytes (0 allowed);
//! decoding takes a string of at least 5 characters, a multiple of 5, every
//! character from the alphabet, and no group worth more than `0xFFFFFFFF`
//! ("#####" and "%nSc1" are refused). A failed decode may already have
//! written the groups before the bad one, as libzmq does.

use crate::error::{Error, Result};

/// The alphabet of RFC 32 §"Formal Specification", digit value = index.
const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Byte → digit value, `NONE` for a byte outside the alphabet; built from
/// `ALPHABET` so there is one source of truth.
const NONE: u8 = 0xFF;
const DIGITS: [u8; 256] = {
    let mut t = [NONE; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Encoded length of `len` input bytes (excluding any terminator), or EINVAL
/// when `len` is not a multiple of 4.
pub fn encoded_len(len: usize) -> Result<usize> {
    if !len.is_multiple_of(4) {
        return Err(Error::INVAL);
    }
    Ok(len / 4 * 5)
}

/// Decoded length of a `len`-character string, or EINVAL when it is shorter
/// than 5 or not a multiple of 5.
pub fn decoded_len(len: usize) -> Result<usize> {
    if len < 5 || !len.is_multiple_of(5) {
        return Err(Error::INVAL);
    }
    Ok(len / 5 * 4)
}

/// Encodes `data` into the start of `out`; returns the number of characters
/// written (no terminator). `out` must hold `encoded_len(data.len())`.
pub fn encode_into(data: &[u8], out: &mut [u8]) -> Result<usize> {
    let n = encoded_len(data.len())?;
    if out.len() < n {
        return Err(Error::INVAL);
    }
    for (group, chars) in data.chunks_exact(4).zip(out.chunks_exact_mut(5)) {
        let mut value = u32::from_be_bytes([group[0], group[1], group[2], group[3]]);
        for c in chars.iter_mut().rev() {
            *c = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
    }
    Ok(n)
}

#[cfg(any(test, feature = "fuzzing"))]
/// Encodes `data` as a new string.
pub fn encode(data: &[u8]) -> Result<String> {
    let mut out = vec![0u8; encoded_len(data.len())?];
    encode_into(data, &mut out)?;
    // Every byte comes from ALPHABET, which is ASCII.
    Ok(out.into_iter().map(char::from).collect())
}

/// Decodes `text` into the start of `out`; returns the number of bytes
/// written. `out` must hold `decoded_len(text.len())`.
pub fn decode_into(text: &[u8], out: &mut [u8]) -> Result<usize> {
    let n = decoded_len(text.len())?;
    if out.len() < n {
        return Err(Error::INVAL);
    }
    for (chars, group) in text.chunks_exact(5).zip(out.chunks_exact_mut(4)) {
        let mut value: u64 = 0;
        for &c in chars {
            let digit = DIGITS[c as usize];
            if digit == NONE {
                return Err(Error::INVAL);
            }
            value = value * 85 + u64::from(digit);
        }
        // 85^5 > 2^32: libzmq refuses a group that overflows 32 bits.
        let value = u32::try_from(value).map_err(|_| Error::INVAL)?;
        group.copy_from_slice(&value.to_be_bytes());
    }
    Ok(n)
}

#[cfg(any(test, feature = "fuzzing"))]
/// Decodes `text` into new bytes.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    let mut out = vec![0u8; decoded_len(text.len())?];
    decode_into(text.as_bytes(), &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_BYTES: [u8; 8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];

    #[test]
    fn rfc32_vector_encodes_to_hello_world() {
        assert_eq!(encode(&RFC_BYTES).unwrap(), "HelloWorld");
    }

    #[test]
    fn rfc32_vector_decodes_from_hello_world() {
        assert_eq!(decode("HelloWorld").unwrap(), RFC_BYTES);
    }

    #[test]
    fn encode_refuses_lengths_not_multiple_of_4() {
        for len in [1, 2, 3, 5, 42] {
            assert_eq!(encode(&vec![0; len]), Err(Error::INVAL));
        }
    }

    #[test]
    fn encode_accepts_empty_input() {
        assert_eq!(encode(&[]).unwrap(), "");
    }

    #[test]
    fn decode_refuses_empty_and_short_strings() {
        assert_eq!(decode(""), Err(Error::INVAL));
        assert_eq!(decode("0"), Err(Error::INVAL));
        assert_eq!(decode("01234567"), Err(Error::INVAL));
    }

    #[test]
    fn decode_refuses_group_above_u32_max() {
        assert_eq!(decode("%nSc0").unwrap(), [0xFF; 4]);
        assert_eq!(decode("%nSc1"), Err(Error::INVAL));
        assert_eq!(decode("#####"), Err(Error::INVAL));
    }

    #[test]
    fn decode_refuses_characters_outside_alphabet() {
        for bad in [
            "####\u{4}7",
            "####\u{10}0",
            "####\u{3}7",
            "0000 ",
            "0000\"",
            "0000\u{7f}",
        ] {
            assert_eq!(decode(bad), Err(Error::INVAL), "{bad:?}");
        }
        assert_eq!(decode_into(b"0000\xC3", &mut [0; 4]), Err(Error::INVAL));
    }

    #[test]
    fn every_alphabet_character_decodes_to_its_index() {
        for (i, &c) in ALPHABET.iter().enumerate() {
            let text = [b'0', b'0', b'0', b'0', c];
            let mut out = [0u8; 4];
            decode_into(&text, &mut out).unwrap();
            assert_eq!(u32::from_be_bytes(out), i as u32);
        }
    }

    #[test]
    fn failed_decode_keeps_groups_before_the_bad_one() {
        let mut out = [0u8; 8];
        assert_eq!(decode_into(b"HelloWor \x01", &mut out), Err(Error::INVAL));
        assert_eq!(out[..4], RFC_BYTES[..4]);
    }

    #[test]
    fn round_trips_extremes_and_regular_text() {
        for data in [[0u8; 4], [0xFF; 4]] {
            assert_eq!(decode(&encode(&data).unwrap()).unwrap(), data);
        }
        let text = "r^/rM9M=rMToK)63O8dCvd9D<PY<7iGlC+{BiSnG";
        assert_eq!(encode(&decode(text).unwrap()).unwrap(), text);
    }

    #[test]
    fn buffers_too_small_are_refused() {
        assert_eq!(encode_into(&RFC_BYTES, &mut [0; 9]), Err(Error::INVAL));
        assert_eq!(decode_into(b"HelloWorld", &mut [0; 7]), Err(Error::INVAL));
    }
}
