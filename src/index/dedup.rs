//! Near-duplicate articles (a wire story under another headline, with a
//! trimmed ending or another byline) found at ingest and put in one group.
//!
//! An article's body is cut into word 3-shingles and summed up by a
//! one-permutation MinHash of 64 values (Li, Owen & Zhang 2012, with
//! rotation densification for empty bins): one hash per shingle, not 64,
//! so it costs about 84 k instructions for a BBC article, most of them in
//! finding the words. Four MinHash crates were measured against it on
//! those articles (docs/performance.md): none is as cheap, the ones as
//! accurate take twice the instructions, and none gives band values that
//! stay fixed across its dependencies' upgrades, which terms stored in an
//! index need. Twelve bands of two values
//! are indexed as terms (LSH): an article that shares a band with one
//! already indexed, or written earlier in the same run, is compared with
//! it, and joins its group when most of the shorter text is in the longer
//! one. The first article of a group takes a new group id; the others
//! carry it, and a `copy` term that tells searches which groups have more
//! than one article.

use rustc_hash::FxHashMap;

/// Values in a signature.
pub const HASHES: usize = 64;
/// Bands of [`ROWS`] values indexed for lookups: with 12 bands of 2, two
/// texts that share 43% of their shingles (the least a copy can) share a
/// band with a probability of 0.91, 60% of them 0.996 (20 bands: 0.98 and
/// 0.9999). Each band is a term of the index, and terms cost ingest time
/// and memory (see docs/performance.md).
pub const BANDS: usize = 12;
const ROWS: usize = 2;
/// Articles with fewer shingles are not grouped: a few words in common
/// (a brief, a caption) do not make a copy.
const MIN_SHINGLES: u32 = 8;
/// Share of the shorter article's shingles the longer one must hold.
const MIN_CONTAINMENT: f64 = 0.8;
/// The shorter article is at least this share of the longer one: a
/// paragraph quoted from a long story is not a copy of it.
const MIN_SIZE_RATIO: f64 = 0.5;

/// The MinHash summary of an article's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    mins: [u32; HASHES],
    /// Distinct shingles seen (an estimate: shingles are not deduplicated).
    shingles: u32,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

impl Signature {
    /// The signature of a body: words in threes. A word is a run of ASCII
    /// letters and digits (lower-cased) and of any non-ASCII bytes (taken
    /// as they are: a case change in a non-ASCII letter is rare between
    /// copies, and bytes are four times faster to read than characters).
    pub fn of(body: &str) -> Signature {
        let mut mins = [u32::MAX; HASHES];
        let (mut w1, mut w2) = (0u64, 0u64);
        let mut words = 0u32;
        let mut shingles = 0u32;
        let mut h = FNV_OFFSET;
        let mut in_word = false;
        let bytes = body.as_bytes();
        for i in 0..=bytes.len() {
            // A space past the end closes the last word.
            let b = bytes.get(i).copied().unwrap_or(b' ');
            if b.is_ascii_alphanumeric() || b >= 0x80 {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
                in_word = true;
                continue;
            }
            if !in_word {
                continue;
            }
            words += 1;
            if words >= 3 {
                let s = (w1.rotate_left(21) ^ w2.rotate_left(42) ^ h).wrapping_mul(MIX);
                let bin = (s >> 58) as usize;
                let v = s as u32;
                if v < mins[bin] {
                    mins[bin] = v;
                }
                shingles += 1;
            }
            w1 = w2;
            w2 = h;
            h = FNV_OFFSET;
            in_word = false;
        }
        densify(&mut mins);
        Signature { mins, shingles }
    }

    /// Whether the article can be grouped at all.
    pub fn groupable(&self) -> bool {
        self.shingles >= MIN_SHINGLES
    }

    /// The band terms of the signature: each band's values and its number,
    /// mixed (splitmix64's finaliser; stored in indexes, so it never changes).
    pub fn bands(&self) -> [u64; BANDS] {
        let mut out = [0u64; BANDS];
        for (i, band) in out.iter_mut().enumerate() {
            let mut x = (i as u64) << 56;
            for (r, v) in self.mins[i * ROWS..(i + 1) * ROWS].iter().enumerate() {
                x ^= u64::from(*v) << (32 * (r % 2));
                x = mix(x);
            }
            *band = x;
        }
        out
    }

    /// The estimated share of equal shingles (Jaccard).
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// Whether two articles are copies of one story: most of the shorter
    /// one's shingles are in the longer one, and it is not much shorter.
    pub fn same_story(&self, other: &Signature) -> bool {
        if !self.groupable() || !other.groupable() {
            return false;
        }
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let (small, large) = if a < b { (a, b) } else { (b, a) };
        if small / large < MIN_SIZE_RATIO {
            return false;
        }
        let j = self.jaccard(other);
        let common = j * (a + b) / (1.0 + j);
        common / small >= MIN_CONTAINMENT
    }
}

/// splitmix64's finaliser: every bit of the input moves every bit out.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// An empty bin takes the value of the next full one (circularly), moved
/// by its distance, so that two texts with the same empty bins agree on
/// them as the full ones do (rotation densification).
fn densify(mins: &mut [u32; HASHES]) {
    if mins.iter().all(|&v| v == u32::MAX) {
        return;
    }
    for i in 0..HASHES {
        if mins[i] != u32::MAX {
            continue;
        }
        let mut d = 1;
        while mins[(i + d) % HASHES] == u32::MAX {
            d += 1;
        }
        let from = mins[(i + d) % HASHES];
        // Never u32::MAX, so a filled bin is not taken for an empty one.
        mins[i] = from.wrapping_add((d as u32).wrapping_mul(0x9e37_79b9)) & !1;
    }
}

/// The group id of an article that starts a group.
pub fn new_group(key: &str, hash: &str) -> u64 {
    let h = blake3::Hasher::new()
        .update(key.as_bytes())
        .update(b"\0")
        .update(hash.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&h.as_bytes()[..8]);
    // 0 is never a group.
    u64::from_le_bytes(first).max(1)
}

/// The articles written earlier in this run, by band: their signatures
/// and groups. Bounded: past `capacity` entries the older half is let go
/// (copies written further apart in one run are then not found; those in
/// the index from earlier runs always are).
pub struct InRun {
    capacity: usize,
    current: Table,
    previous: Table,
}

#[derive(Default)]
struct Table {
    entries: Vec<(Signature, u64)>,
    bands: FxHashMap<u64, u32>,
}

impl Table {
    fn find(&self, sig: &Signature, bands: &[u64; BANDS]) -> Option<u64> {
        bands.iter().find_map(|b| {
            let (other, group) = &self.entries[*self.bands.get(b)? as usize];
            sig.same_story(other).then_some(*group)
        })
    }
}

/// Bytes an entry takes, about (the signature, the group, the bands in
/// the map).
pub const ENTRY_BYTES: usize = HASHES * 4 + 16 + BANDS * 16;

impl InRun {
    pub fn new(capacity: usize) -> InRun {
        InRun {
            capacity: capacity.max(2),
            current: Table::default(),
            previous: Table::default(),
        }
    }

    /// The group of an article written earlier in the run that `sig` is a
    /// copy of.
    pub fn find(&self, sig: &Signature, bands: &[u64; BANDS]) -> Option<u64> {
        self.current
            .find(sig, bands)
            .or_else(|| self.previous.find(sig, bands))
    }

    pub fn insert(&mut self, sig: Signature, bands: &[u64; BANDS], group: u64) {
        if self.current.entries.len() >= self.capacity / 2 {
            self.previous = std::mem::take(&mut self.current);
        }
        let at = self.current.entries.len() as u32;
        self.current.entries.push((sig, group));
        for b in bands {
            self.current.bands.insert(*b, at);
        }
    }
}

/// The hash a quote is known by across articles: its words (letters and
/// digits, lower-cased) and its speaker's last name ("Putin", "Mr Putin"
/// and "Vladimir Putin" are one speaker across articles).
pub fn quote_hash(text: &str, speaker: Option<&str>) -> u64 {
    let last = speaker
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    let mut folded = String::with_capacity(text.len() + last.len() + 1);
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        folded.extend(c.to_lowercase());
    }
    folded.push('\0');
    folded.extend(last.chars().flat_map(char::to_lowercase));
    let h = blake3::hash(folded.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The central bank raised its main interest rate by a quarter of a \
        point on Thursday, the third increase this year, saying inflation had proved more \
        stubborn than expected.\n\nThe governor told reporters that the committee had voted \
        seven to two for the rise, with two members preferring to hold rates steady until \
        the spring.\n\n\"We will do what it takes to bring inflation back to target,\" she \
        said, adding that wage growth remained strong.\n\nMarkets had expected the move, and \
        the currency barely changed after the announcement.\n\nEconomists said a further rise \
        in March could not be ruled out if energy prices kept climbing.";

    #[test]
    fn copies_are_the_same_story() {
        let a = Signature::of(STORY);
        let byline = Signature::of(&format!("By Ann Lee, Business Reporter\n\n{STORY}"));
        let trimmed = Signature::of(STORY.rsplit_once("\n\n").unwrap().0);
        assert_eq!(a, Signature::of(STORY));
        assert!(a.same_story(&byline), "{}", a.jaccard(&byline));
        assert!(a.same_story(&trimmed), "{}", a.jaccard(&trimmed));
        assert!(byline.same_story(&trimmed));
        // Copies share a band, so they are compared at all.
        let (ba, bt) = (a.bands(), trimmed.bands());
        assert!(ba.iter().any(|b| bt.contains(b)));
    }

    #[test]
    fn another_story_of_the_same_event_is_not() {
        let other = "Interest rates went up again on Thursday as the central bank moved to \
            tame prices. Home owners with variable mortgages will pay more from next month, \
            lenders said, and the housing market is expected to cool.\n\nThe rise was widely \
            forecast. Unions said the bank was punishing workers for an energy shock they did \
            not cause, while business groups welcomed a clear signal on inflation.";
        let a = Signature::of(STORY);
        let b = Signature::of(other);
        assert!(!a.same_story(&b), "{}", a.jaccard(&b));
        // A paragraph of the story is in it, but is not a copy of it.
        let para = Signature::of(STORY.split("\n\n").next().unwrap());
        assert!(!a.same_story(&para));
        assert!(!Signature::of("Rates rise.").groupable());
    }

    #[test]
    fn the_run_finds_earlier_copies_and_stays_bounded() {
        let mut run = InRun::new(4);
        let a = Signature::of(STORY);
        run.insert(a.clone(), &a.bands(), 7);
        let trimmed = Signature::of(STORY.rsplit_once("\n\n").unwrap().0);
        assert_eq!(run.find(&trimmed, &trimmed.bands()), Some(7));
        for i in 0..4 {
            let s = Signature::of(&format!("{i} {i} {i} unrelated words of another kind {i}"));
            run.insert(s.clone(), &s.bands(), 100 + i);
        }
        assert_eq!(run.find(&trimmed, &trimmed.bands()), None, "let go");
    }

    #[test]
    fn quotes_are_known_by_their_words_and_speaker() {
        let a = quote_hash("“We will do what it takes,”", Some("Ann Lee"));
        assert_eq!(a, quote_hash("we will do what it takes", Some("ANN LEE")));
        assert_eq!(a, quote_hash("we will do what it takes", Some("Ms Lee")));
        assert_ne!(a, quote_hash("we will do what it takes", Some("Bo Li")));
        assert_ne!(a, quote_hash("we will do what it took", Some("Ann Lee")));
    }

    #[test]
    fn band_terms_do_not_change() {
        // Bands are stored in indexes as terms: a change to the shingles,
        // the hash or the bands would silently stop old articles from
        // being found as copies of new ones. Change these only with a
        // note that indexes must be rebuilt.
        let bands = Signature::of(STORY).bands();
        assert_eq!(bands, PINNED, "{bands:?}");
    }

    const PINNED: [u64; BANDS] = [
        4454712840809963602,
        7068268877805802963,
        7026503504595686144,
        6212300796553641331,
        1634897450323770307,
        7705339119501878895,
        10973599750424958355,
        3091561183926371829,
        16079116773062922109,
        3765403774461296305,
        10995443070041496882,
        10737498456820584230,
    ];
}
