//! The ring's one hash function: xxHash64, written out here so that it can never change with a
//! dependency bump, plus a 64-bit mixer for hashing pairs of numbers quickly.
//!
//! Keys and tokens both hash into a ring of 2^64 positions. xxHash64 (Yann Collet, reference
//! spec `doc/xxhash_spec.md`, "XXH64 algorithm description") is defined on bytes with explicit
//! little-endian reads and wrapping 64-bit arithmetic, so the same bytes give the same position
//! on x86_64, aarch64 and wasm32. The outputs are pinned in the tests against the reference C
//! library (libxxhash 0.8.1).

const PRIME_1: u64 = 0x9E37_79B1_85EB_CA87;
const PRIME_2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const PRIME_3: u64 = 0x1656_67B1_9E37_79F9;
const PRIME_4: u64 = 0x85EB_CA77_C2B2_AE63;
const PRIME_5: u64 = 0x27D4_EB2F_1656_67C5;

/// A position on the ring: every value of a `u64` is a position, clockwise in increasing order.
pub type Position = u64;

fn read_u64(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

fn read_u32(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[..4]);
    u32::from_le_bytes(word) as u64
}

fn round(acc: u64, lane: u64) -> u64 {
    acc.wrapping_add(lane.wrapping_mul(PRIME_2))
        .rotate_left(31)
        .wrapping_mul(PRIME_1)
}

fn merge(acc: u64, lane_acc: u64) -> u64 {
    (acc ^ round(0, lane_acc))
        .wrapping_mul(PRIME_1)
        .wrapping_add(PRIME_4)
}

/// xxHash64 of `bytes` with `seed`, exactly as the reference implementation computes it.
pub fn xxh64(bytes: &[u8], seed: u64) -> u64 {
    let total_len = bytes.len() as u64;
    let mut rest = bytes;
    let mut hash = if rest.len() >= 32 {
        let mut lanes = [
            seed.wrapping_add(PRIME_1).wrapping_add(PRIME_2),
            seed.wrapping_add(PRIME_2),
            seed,
            seed.wrapping_sub(PRIME_1),
        ];
        while rest.len() >= 32 {
            for (i, lane) in lanes.iter_mut().enumerate() {
                *lane = round(*lane, read_u64(&rest[i * 8..]));
            }
            rest = &rest[32..];
        }
        let mut acc = lanes[0]
            .rotate_left(1)
            .wrapping_add(lanes[1].rotate_left(7))
            .wrapping_add(lanes[2].rotate_left(12))
            .wrapping_add(lanes[3].rotate_left(18));
        for lane in lanes {
            acc = merge(acc, lane);
        }
        acc
    } else {
        seed.wrapping_add(PRIME_5)
    };
    hash = hash.wrapping_add(total_len);
    while rest.len() >= 8 {
        hash ^= round(0, read_u64(rest));
        hash = hash
            .rotate_left(27)
            .wrapping_mul(PRIME_1)
            .wrapping_add(PRIME_4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        hash ^= read_u32(rest).wrapping_mul(PRIME_1);
        hash = hash
            .rotate_left(23)
            .wrapping_mul(PRIME_2)
            .wrapping_add(PRIME_3);
        rest = &rest[4..];
    }
    for &byte in rest {
        hash ^= (byte as u64).wrapping_mul(PRIME_5);
        hash = hash.rotate_left(11).wrapping_mul(PRIME_1);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(PRIME_2);
    hash ^= hash >> 29;
    hash = hash.wrapping_mul(PRIME_3);
    hash ^ (hash >> 32)
}

/// SplitMix64's finalizer (Stafford's "Mix13"): a bijection on `u64` with full avalanche.
/// It is the cheap per-pair hash of rendezvous weights, where xxHash64 over 16 bytes would cost
/// several times more for the K x n evaluations of a recompute.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Domain separators, so that a key and a token built from the same numbers never collide by
/// construction.
const DOMAIN_TOKEN: u64 = 0x746F_6B65_6E00_0001;
const DOMAIN_NODE: u64 = 0x6E6F_6465_0000_0002;

/// The position of the key named `key-<index>` in the key set drawn with `seed`.
///
/// The key's name is hashed (not its index as a number) so that a key shown in the page as
/// `key-17` can be hashed by anyone with any xxHash64 implementation.
pub fn key_position(index: u32, seed: u64) -> Position {
    let mut name = [0u8; 16];
    let len = write_key_name(index, &mut name);
    xxh64(&name[..len], seed)
}

/// Writes `key-<index>` into `out` and returns its length (at most 14 bytes).
fn write_key_name(index: u32, out: &mut [u8; 16]) -> usize {
    out[..4].copy_from_slice(b"key-");
    let mut digits = [0u8; 10];
    let mut n = index;
    let mut count = 0;
    loop {
        digits[count] = b'0' + (n % 10) as u8;
        count += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..count {
        out[4 + i] = digits[count - 1 - i];
    }
    4 + count
}

/// The position of virtual node `vnode` of node `node` when tokens are drawn with `seed`.
/// Tokens depend only on (node, vnode, seed), so a node that leaves and comes back, or a
/// membership that differs by one node, keeps every other token where it was (Karger et al.
/// 1997, section 4: a view change moves only the points of the changed bucket).
pub fn token_position(node: u32, vnode: u32, seed: u64) -> Position {
    let mut bytes = [0u8; 8];
    bytes[..4].copy_from_slice(&node.to_le_bytes());
    bytes[4..].copy_from_slice(&vnode.to_le_bytes());
    xxh64(&bytes, seed ^ DOMAIN_TOKEN)
}

/// A per-node 64-bit identity hash (rendezvous seeds, Maglev offsets), with a `salt` so that
/// one node can have several independent hashes.
pub fn node_hash(node: u32, salt: u32, seed: u64) -> u64 {
    let mut bytes = [0u8; 8];
    bytes[..4].copy_from_slice(&node.to_le_bytes());
    bytes[4..].copy_from_slice(&salt.to_le_bytes());
    xxh64(&bytes, seed ^ DOMAIN_NODE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference outputs of XXH64 from the C library (libxxhash 0.8.1, `XXH64(data, len,
    /// seed)`), covering the short path, the 4- and 8-byte tails and the 32-byte stripes.
    #[test]
    fn xxh64_matches_the_reference_library() {
        assert_eq!(xxh64(b"", 0), 0xef46_db37_51d8_e999);
        assert_eq!(xxh64(b"a", 0), 0xd24e_c4f1_a98c_6e5b);
        assert_eq!(xxh64(b"abc", 0), 0x44bc_2cf5_ad77_0999);
        assert_eq!(
            xxh64(b"Nobody inspects the spammish repetition", 0),
            0xfbce_a83c_8a37_8bf1
        );
        assert_eq!(xxh64(b"key-42", 7), 0xd963_2374_1133_bc8d);
        assert_eq!(
            xxh64(b"0123456789abcdef0123456789abcdefXYZW1234567", 0xdead_beef),
            0xe0c8_22ac_ccbf_cc8c
        );
    }

    #[test]
    fn key_names_are_hashed_as_text() {
        assert_eq!(key_position(42, 7), xxh64(b"key-42", 7));
        assert_eq!(key_position(0, 1), xxh64(b"key-0", 1));
        assert_eq!(key_position(u32::MAX, 1), xxh64(b"key-4294967295", 1));
    }

    /// Shared links and recorded benchmark numbers depend on where tokens land: pin them.
    #[test]
    fn token_and_node_hashes_are_pinned() {
        let pinned = [
            token_position(1, 0, 1),
            token_position(2, 5, 1),
            node_hash(3, 1, 9),
            mix64(1),
        ];
        assert_eq!(pinned, PINNED);
    }

    const PINNED: [u64; 4] = [
        15_677_027_028_500_460_457,
        17_340_671_957_889_729_051,
        16_599_312_776_364_083_976,
        6_238_072_747_940_578_789,
    ];
}
