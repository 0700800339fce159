//! The tagger's weights: a linear model over hashed features with BIO
//! transitions, decoded by Viterbi, and the averaged perceptron that trains it.
//!
//! Serialised compactly (quantised sparse weights) so it ships inside the binary.

use std::collections::HashMap;

use crate::EntityKind;

/// O, then B- and I- for each kind in [`EntityKind::ALL`] order.
pub const LABELS: usize = 9;
/// Index of the start state in the transition table.
const START: usize = LABELS;
const MAGIC: &[u8; 4] = b"NXE1";

/// The kind of a label, if it is not O.
pub fn label_kind(label: u8) -> Option<EntityKind> {
    match label {
        1..=4 => Some(EntityKind::ALL[label as usize - 1]),
        5..=8 => Some(EntityKind::ALL[label as usize - 5]),
        _ => None,
    }
}

/// Whether a label continues an entity (I-).
pub fn is_inside(label: u8) -> bool {
    (5..=8).contains(&label)
}

/// The B- label of a kind; the I- label is four more.
pub fn begin_label(kind: EntityKind) -> u8 {
    1 + EntityKind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u8
}

/// Whether `cur` may follow `prev`: I-X only after B-X or I-X.
fn allowed(prev: usize, cur: usize) -> bool {
    if !is_inside(cur as u8) {
        return true;
    }
    prev != START && (prev == cur || prev + 4 == cur)
}

/// The model's top 32 bits of a feature key.
#[inline]
fn short_key(k: u64) -> u32 {
    // Zero marks an empty slot.
    ((k >> 32) as u32).max(1)
}

/// One feature's weights, inline in the table so that a lookup touches one
/// cache line: tagging speed is memory latency.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u32,
    w: [i16; LABELS],
}

/// A trained tagger: an open-addressing table of quantised weights.
#[derive(Default)]
pub struct Model {
    slots: Vec<Slot>,
    len: usize,
    /// What one unit of a stored weight is worth.
    scale: f32,
    trans: [[f32; LABELS]; LABELS + 1],
}

impl Model {
    /// Builds the table from quantised rows; a repeated key adds up.
    fn build(
        rows: impl ExactSizeIterator<Item = (u32, [i16; LABELS])>,
        scale: f32,
        trans: [[f32; LABELS]; LABELS + 1],
    ) -> Model {
        let cap = (rows.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); cap];
        let mut len = 0;
        for (key, w) in rows {
            let mut i = slot_of(key, cap);
            loop {
                let slot = &mut slots[i];
                if slot.key == 0 {
                    *slot = Slot { key, w };
                    len += 1;
                    break;
                }
                if slot.key == key {
                    for (x, y) in slot.w.iter_mut().zip(w) {
                        *x = x.saturating_add(y);
                    }
                    break;
                }
                i = (i + 1) & (cap - 1);
            }
        }
        Model {
            slots,
            len,
            scale,
            trans,
        }
    }

    /// Whether the model knows any feature (an empty model tags nothing).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The label scores of one token from its feature keys.
    #[inline]
    pub fn emission(&self, keys: &[u64]) -> [f32; LABELS] {
        self.scores(self.sum(keys))
    }

    /// The stored weights of `keys` added up, before scaling.
    #[inline]
    pub fn sum(&self, keys: &[u64]) -> [i32; LABELS] {
        let mut sum = [0i32; LABELS];
        for &k in keys {
            if let Some(slot) = probe(&self.slots, |s| s.key, short_key(k)) {
                add(&mut sum, &self.slots[slot].w);
            }
        }
        sum
    }

    /// Label scores from summed stored weights.
    #[inline]
    pub fn scores(&self, sum: [i32; LABELS]) -> [f32; LABELS] {
        sum.map(|s| s as f32 * self.scale)
    }

    /// The best label sequence for the emissions of a run of tokens that
    /// opens a sentence or follows an O.
    pub fn viterbi(&self, em: &[[f32; LABELS]], sentence_start: bool) -> Vec<u8> {
        viterbi(em, &self.trans, if sentence_start { START } else { 0 })
    }

    /// [`Model::viterbi`] into `out`, with `back` as scratch.
    pub fn viterbi_into(
        &self,
        em: &[[f32; LABELS]],
        sentence_start: bool,
        back: &mut Vec<[u8; LABELS]>,
        out: &mut [u8],
    ) {
        let start = if sentence_start { START } else { 0 };
        viterbi_into(em, &self.trans, start, back, out);
    }

    /// The mean of several models' weights and transitions: models trained
    /// on other orders of the same sentences disagree most on the rare
    /// features, and their mean leans less on any one of them.
    pub fn average(models: &[Model]) -> Model {
        let n = models.len().max(1) as f32;
        let mut sums: HashMap<u32, [f32; LABELS]> = HashMap::new();
        let mut trans = [[0f32; LABELS]; LABELS + 1];
        for m in models {
            for slot in m.slots.iter().filter(|s| s.key != 0) {
                let row = sums.entry(slot.key).or_insert([0.0; LABELS]);
                for (x, &w) in row.iter_mut().zip(&slot.w) {
                    *x += f32::from(w) * m.scale / n;
                }
            }
            for (row, t) in trans.iter_mut().zip(&m.trans) {
                for (x, &y) in row.iter_mut().zip(t) {
                    *x += y / n;
                }
            }
        }
        let mut rows: Vec<(u32, [f32; LABELS])> = sums.into_iter().collect();
        rows.sort_unstable_by_key(|r| r.0);
        quantised(rows, trans)
    }

    /// Reads a model written by [`Model::to_bytes`]; `None` if it is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        let mut r = Reader(bytes);
        if r.take(4)? != MAGIC || r.u32()? as usize != LABELS {
            return None;
        }
        let scale = r.f32()?;
        let mut trans = [[0f32; LABELS]; LABELS + 1];
        for row in trans.iter_mut() {
            for x in row.iter_mut() {
                *x = r.f32()?;
            }
        }
        let n = r.u32()? as usize;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(r.u32()?);
        }
        let mut masks = Vec::with_capacity(n);
        for _ in 0..n {
            masks.push(r.u16()?);
        }
        let mut rows = Vec::with_capacity(n);
        for (&k, &m) in keys.iter().zip(&masks) {
            let mut w = [0i16; LABELS];
            for (l, x) in w.iter_mut().enumerate() {
                if m & (1 << l) != 0 {
                    *x = r.i16()?;
                }
            }
            rows.push((k.max(1), w));
        }
        Some(Model::build(rows.into_iter(), scale, trans))
    }

    /// Writes the model, without weights below `min_weight` in magnitude.
    pub fn to_bytes(&self, min_weight: f32) -> Vec<u8> {
        let mut rows: Vec<(u32, u16, Vec<i16>)> = Vec::new();
        for slot in self.slots.iter().filter(|s| s.key != 0) {
            let mut mask = 0u16;
            let mut q = Vec::new();
            for (l, &v) in slot.w.iter().enumerate() {
                if v != 0 && f32::from(v).abs() * self.scale >= min_weight {
                    mask |= 1 << l;
                    q.push(v);
                }
            }
            if mask != 0 {
                rows.push((slot.key, mask, q));
            }
        }
        rows.sort_unstable_by_key(|r| r.0);
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(LABELS as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for x in self.trans.iter().flatten() {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for r in &rows {
            out.extend_from_slice(&r.0.to_le_bytes());
        }
        for r in &rows {
            out.extend_from_slice(&r.1.to_le_bytes());
        }
        for r in &rows {
            for v in &r.2 {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }
}

/// The weights of two models side by side, for the features both passes
/// of the tagger look up: one probe finds both rows. Tagging waits on
/// memory, and the keys alone (4 bytes a slot) stay in cache, so a feature
/// neither model knows costs no trip to main memory.
#[derive(Default)]
pub struct Pair {
    keys: Vec<u32>,
    w: Vec<[[i16; LABELS]; 2]>,
}

impl Pair {
    pub fn new(a: &Model, b: &Model) -> Pair {
        // Both models mostly know the same local features: size for the union.
        let only_b = b
            .slots
            .iter()
            .filter(|s| s.key != 0 && probe(&a.slots, |s| s.key, s.key).is_none())
            .count();
        let rows = a.len + only_b;
        let cap = (rows * 4 / 3 + 1).next_power_of_two().max(16);
        let mut pair = Pair {
            keys: vec![0; cap],
            w: vec![[[0; LABELS]; 2]; cap],
        };
        for (side, model) in [a, b].into_iter().enumerate() {
            for slot in model.slots.iter().filter(|s| s.key != 0) {
                let mut i = slot_of(slot.key, cap);
                while pair.keys[i] != 0 && pair.keys[i] != slot.key {
                    i = (i + 1) & (cap - 1);
                }
                pair.keys[i] = slot.key;
                pair.w[i][side] = slot.w;
            }
        }
        pair
    }

    /// The stored weights of `keys` in each model, added up before scaling.
    #[inline]
    pub fn sums(&self, keys: &[u64]) -> [[i32; LABELS]; 2] {
        let mut sums = [[0i32; LABELS]; 2];
        for &k in keys {
            if let Some(slot) = probe(&self.keys, |&k| k, short_key(k)) {
                let [a, b] = &self.w[slot];
                add(&mut sums[0], a);
                add(&mut sums[1], b);
            }
        }
        sums
    }
}

/// The slot holding `key` in an open-addressing table, if any.
#[inline]
fn probe<T>(slots: &[T], key_of: impl Fn(&T) -> u32, key: u32) -> Option<usize> {
    let cap = slots.len();
    if cap == 0 {
        return None;
    }
    let mut i = slot_of(key, cap);
    loop {
        match key_of(&slots[i]) {
            k if k == key => return Some(i),
            0 => return None,
            _ => i = (i + 1) & (cap - 1),
        }
    }
}

#[inline]
fn add(sum: &mut [i32; LABELS], w: &[i16; LABELS]) {
    for (s, &w) in sum.iter_mut().zip(w) {
        *s += i32::from(w);
    }
}

/// Where a key's probe starts in a table of `cap` (a power of two) slots.
#[inline]
fn slot_of(key: u32, cap: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B1) as usize) & (cap - 1)
}

/// Little-endian reader over the model bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn i16(&mut self) -> Option<i16> {
        Some(i16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
}

/// First-order Viterbi under the BIO constraints.
fn viterbi(em: &[[f32; LABELS]], trans: &[[f32; LABELS]; LABELS + 1], start: usize) -> Vec<u8> {
    let mut out = vec![0u8; em.len()];
    viterbi_into(em, trans, start, &mut Vec::new(), &mut out);
    out
}

/// [`viterbi`] into `out` (as long as `em`), with `back` as scratch: the
/// tagger decodes many short runs, and each would allocate.
fn viterbi_into(
    em: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS + 1],
    start: usize,
    back: &mut Vec<[u8; LABELS]>,
    out: &mut [u8],
) {
    let n = em.len();
    if n == 0 {
        return;
    }
    back.clear();
    back.resize(n, [0u8; LABELS]);
    let mut score = [f32::NEG_INFINITY; LABELS];
    for l in 0..LABELS {
        if allowed(start, l) {
            score[l] = em[0][l] + trans[start][l];
        }
    }
    for i in 1..n {
        let mut next = [f32::NEG_INFINITY; LABELS];
        for l in 0..LABELS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for p in 0..LABELS {
                if !allowed(p, l) {
                    continue;
                }
                let s = score[p] + trans[p][l];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            next[l] = best + em[i][l];
            back[i][l] = arg as u8;
        }
        score = next;
    }
    let mut l = (0..LABELS)
        .max_by(|&a, &b| score[a].total_cmp(&score[b]))
        .unwrap_or(0);
    for i in (0..n).rev() {
        out[i] = l as u8;
        l = back[i][l] as usize;
    }
}

/// One training sentence: the feature rows of its tokens and their gold labels.
pub struct Example {
    pub features: Vec<Vec<u32>>,
    pub labels: Vec<u8>,
}

/// An averaged structured perceptron over a feature dictionary.
#[derive(Default)]
pub struct Trainer {
    dict: HashMap<u64, u32>,
    counts: Vec<u32>,
    w: Vec<[f32; LABELS]>,
    /// Sum of update * time, for averaging without touching every weight.
    u: Vec<[f32; LABELS]>,
    tw: [[f32; LABELS]; LABELS + 1],
    tu: [[f32; LABELS]; LABELS + 1],
    time: f32,
}

impl Trainer {
    /// Feature rows for training: new keys get a row.
    pub fn intern(&mut self, keys: &[u64]) -> Vec<u32> {
        keys.iter()
            .map(|&k| {
                let next = self.w.len() as u32;
                let r = *self.dict.entry(k).or_insert(next);
                if r == next {
                    self.w.push([0.0; LABELS]);
                    self.u.push([0.0; LABELS]);
                    self.counts.push(0);
                }
                self.counts[r as usize] += 1;
                r
            })
            .collect()
    }

    fn emissions(&self, ex: &Example) -> Vec<[f32; LABELS]> {
        ex.features
            .iter()
            .map(|row| {
                let mut s = [0f32; LABELS];
                for &r in row {
                    let w = &self.w[r as usize];
                    for l in 0..LABELS {
                        s[l] += w[l];
                    }
                }
                s
            })
            .collect()
    }

    fn bump(&mut self, row: &[u32], label: u8, d: f32) {
        let t = self.time;
        for &r in row {
            self.w[r as usize][label as usize] += d;
            self.u[r as usize][label as usize] += d * t;
        }
    }

    fn bump_trans(&mut self, p: usize, l: u8, d: f32) {
        self.tw[p][l as usize] += d;
        self.tu[p][l as usize] += d * self.time;
    }

    /// One pass over the examples in the given order; returns the token errors.
    pub fn epoch(&mut self, examples: &[Example], order: &[usize]) -> usize {
        let mut errors = 0;
        for &e in order {
            let ex = &examples[e];
            self.time += 1.0;
            let pred = viterbi(&self.emissions(ex), &self.tw, START);
            if pred == ex.labels {
                continue;
            }
            for i in 0..pred.len() {
                let (g, p) = (ex.labels[i], pred[i]);
                if g != p {
                    errors += 1;
                    self.bump(&ex.features[i], g, 1.0);
                    self.bump(&ex.features[i], p, -1.0);
                }
                let gp = if i == 0 {
                    START
                } else {
                    ex.labels[i - 1] as usize
                };
                let pp = if i == 0 { START } else { pred[i - 1] as usize };
                if gp != pp || g != p {
                    self.bump_trans(gp, g, 1.0);
                    self.bump_trans(pp, p, -1.0);
                }
            }
        }
        errors
    }

    /// The averaged model, without features seen fewer than `min_count` times.
    pub fn model(&self, min_count: u32) -> Model {
        let t = self.time.max(1.0);
        let avg = |w: f32, u: f32| w - u / t;
        let mut rows = Vec::new();
        for (&k, &r) in &self.dict {
            if self.counts[r as usize] < min_count {
                continue;
            }
            let mut row = [0f32; LABELS];
            for (l, x) in row.iter_mut().enumerate() {
                *x = avg(self.w[r as usize][l], self.u[r as usize][l]);
            }
            if row.iter().any(|&x| x != 0.0) {
                rows.push((short_key(k), row));
            }
        }
        let mut trans = [[0f32; LABELS]; LABELS + 1];
        for (row, (w, u)) in trans.iter_mut().zip(self.tw.iter().zip(&self.tu)) {
            for (x, (&w, &u)) in row.iter_mut().zip(w.iter().zip(u)) {
                *x = avg(w, u);
            }
        }
        quantised(rows, trans)
    }
}

/// A model of float weights, stored as 16-bit integers of one scale.
fn quantised(rows: Vec<(u32, [f32; LABELS])>, trans: [[f32; LABELS]; LABELS + 1]) -> Model {
    let max = rows
        .iter()
        .flat_map(|r| r.1)
        .fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let rows = rows
        .into_iter()
        .map(|(k, row)| (k, row.map(|x| (x / scale).round() as i16)));
    Model::build(rows, scale, trans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_respects_bio() {
        let trans = [[0f32; LABELS]; LABELS + 1];
        // I-PER scores best alone, but may not start a sentence.
        let mut em = [[0f32; LABELS]; 1];
        em[0][5] = 5.0;
        em[0][1] = 1.0;
        assert_eq!(viterbi(&em, &trans, START), [1]);
    }

    #[test]
    fn a_pair_sums_as_its_two_models_do() {
        let train = |labels: Vec<u8>| {
            let mut tr = Trainer::default();
            let ex = vec![Example {
                features: vec![tr.intern(&[1 << 40, 2 << 40]), tr.intern(&[3 << 40])],
                labels,
            }];
            for _ in 0..3 {
                tr.epoch(&ex, &[0]);
            }
            tr.model(1)
        };
        let (a, b) = (train(vec![1, 0]), train(vec![2, 6]));
        let pair = Pair::new(&a, &b);
        for keys in [&[1u64 << 40, 3 << 40][..], &[2 << 40], &[7 << 40], &[]] {
            assert_eq!(pair.sums(keys), [a.sum(keys), b.sum(keys)]);
        }
        assert_ne!(a.sum(&[1 << 40]), b.sum(&[1 << 40]));
    }

    #[test]
    fn a_trained_model_round_trips() {
        let mut tr = Trainer::default();
        let a = tr.intern(&[1 << 40, 2 << 40]);
        let b = tr.intern(&[3 << 40]);
        let ex = vec![Example {
            features: vec![a, b],
            labels: vec![1, 0],
        }];
        for _ in 0..3 {
            tr.epoch(&ex, &[0]);
        }
        let m = tr.model(1);
        let m2 = Model::from_bytes(&m.to_bytes(0.0)).unwrap();
        let em: Vec<_> = [vec![1u64 << 40, 2 << 40], vec![3 << 40]]
            .iter()
            .map(|k| m2.emission(k))
            .collect();
        assert_eq!(m2.viterbi(&em, true), [1, 0]);
        assert!(Model::from_bytes(b"nope").is_none());
    }
}
