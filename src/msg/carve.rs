//! Carving small bodies from chunks (`io::chunk`): a socket's sends
//! (`Slab`) and `zmq_msg_init_size` (a thread's fill chunks). A chunk none of whose pieces is alive is carved again
//! from its start, so a steady stream allocates nothing; up to `keep`
//! chunks whose pieces are still in flight are kept for that.

use crate::io::chunk::{Chunk, Piece};
use std::collections::VecDeque;

pub struct Carver {
    cur: Option<Chunk>,
    /// Chunks carved to their end, oldest first.
    retired: VecDeque<Chunk>,
    size: usize,
    keep: usize,
}

impl Carver {
    /// Chunks of `size` bytes; bodies larger than that are not carved.
    pub const fn new(size: usize, keep: usize) -> Carver {
        Carver {
            cur: None,
            retired: VecDeque::new(),
            size,
            keep,
        }
    }

    /// A chunk with `len` bytes of room, or None (too large, no memory).
    #[cold]
    fn room_for(&mut self, len: usize) -> Option<&mut Chunk> {
        if len > self.size {
            return None;
        }
        let full = match &mut self.cur {
            Some(c) => c.room() < len && !c.rewind(),
            None => true,
        };
        if full {
            if let Some(old) = self.cur.take() {
                self.retired.push_back(old);
            }
            let reusable = self.retired.iter().position(Chunk::unused);
            self.cur = match reusable.and_then(|i| self.retired.remove(i)) {
                Some(mut c) => {
                    c.rewind();
                    Some(c)
                }
                None => {
                    if self.retired.len() > self.keep {
                        // Freed with its last piece.
                        self.retired.pop_front();
                    }
                    Some(Chunk::new(self.size)?)
                }
            };
        }
        self.cur.as_mut()
    }

    /// A piece holding a copy of `data`.
    #[inline]
    pub fn copy(&mut self, data: &[u8]) -> Option<Piece> {
        if let Some(c) = &mut self.cur {
            if c.room() >= data.len() {
                return c.copy(data);
            }
        }
        self.room_for(data.len())?.copy(data)
    }

    /// A piece of `len` bytes holding what earlier pieces (or the chunk's
    /// zeroing) left there, for the caller to fill.
    #[inline]
    pub fn carve(&mut self, len: usize) -> Option<Piece> {
        if let Some(c) = &mut self.cur {
            if c.room() >= len {
                return c.carve(len);
            }
        }
        self.room_for(len)?.carve(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_stream_reuses_its_chunk() {
        let mut c = Carver::new(256, 1);
        for i in 0..100u8 {
            let p = c.copy(&[i; 100]).unwrap();
            assert_eq!(p.as_ref(), &[i; 100]);
        }
        assert!(c.retired.is_empty(), "each chunk was unused when full");
    }

    #[test]
    fn chunks_in_flight_are_kept_up_to_keep() {
        let mut c = Carver::new(64, 2);
        let held: Vec<Piece> = (0..10u8).map(|i| c.copy(&[i; 40]).unwrap()).collect();
        assert!(c.retired.len() <= 3);
        for (i, p) in held.iter().enumerate() {
            assert_eq!(p.as_ref(), &[i as u8; 40]);
        }
        assert!(c.copy(&[0; 65]).is_none(), "larger than a chunk");
        drop(held);
        let p = c.carve(40).unwrap();
        assert_eq!(p.len(), 40);
    }
}
