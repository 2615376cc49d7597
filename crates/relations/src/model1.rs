//! IBM Model 1 (Brown et al. 1993): p(f | g), the probability that word g of one side is
//! rendered as word f of the other, learned by expectation–maximisation over the pairs. A
//! NULL word on the g side takes the f words that render nothing (articles, particles).

use rustc_hash::FxHashMap;

/// Below this a probability is not kept: it would never pass a threshold of the pivot.
const MIN_KEPT: f32 = 0.001;

/// What training learned, by the word given.
pub(crate) struct Table {
    /// Per given word (NULL last): (f, p(f | given), pairs holding both), most likely first.
    rows: Vec<Vec<(u32, f32, u32)>>,
}

impl Table {
    pub fn row(&self, given: u32) -> &[(u32, f32, u32)] {
        self.rows.get(given as usize).map_or(&[], Vec::as_slice)
    }

    /// p(f | given) and the pairs holding both; (0, 0) when never seen together.
    pub fn get(&self, given: u32, f: u32) -> (f32, u32) {
        self.row(given)
            .iter()
            .find(|(w, _, _)| *w == f)
            .map_or((0.0, 0), |&(_, p, c)| (p, c))
    }
}

/// The co-occurrences of f and g words, numbered: each pair's rows of parameter ids.
struct Links {
    /// Parameter id → (f, g, pairs holding both).
    params: Vec<(u32, u32, u32)>,
    /// Per pair, per f word: the parameter ids of (f, g) for each g word and NULL.
    ids: Vec<u32>,
    /// Per pair: (f words, g words + NULL).
    shapes: Vec<(usize, usize)>,
}

fn links<'a>(pairs: impl Iterator<Item = (&'a [u32], &'a [u32])>, null: u32) -> Links {
    let mut numbered: FxHashMap<u64, u32> = FxHashMap::default();
    let mut links = Links {
        params: Vec::new(),
        ids: Vec::new(),
        shapes: Vec::new(),
    };
    for (f_words, g_words) in pairs {
        for &f in f_words {
            for g in g_words.iter().copied().chain([null]) {
                let next = links.params.len() as u32;
                let id = *numbered
                    .entry(u64::from(f) << 32 | u64::from(g))
                    .or_insert(next);
                if id == next {
                    links.params.push((f, g, 0));
                }
                links.params[id as usize].2 += 1;
                links.ids.push(id);
            }
        }
        links.shapes.push((f_words.len(), g_words.len() + 1));
    }
    links
}

/// Trains p(f | g) over `pairs` of (f words, g words), with `given_words` distinct g words.
pub(crate) fn train<'a>(
    pairs: impl Iterator<Item = (&'a [u32], &'a [u32])>,
    given_words: usize,
    iterations: usize,
) -> Table {
    let null = given_words as u32;
    let links = links(pairs, null);
    // Any constant is a uniform start: the first step shares each f evenly among its g.
    let mut p = vec![1.0f32; links.params.len()];
    let mut counts = vec![0.0f32; links.params.len()];
    let mut totals = vec![0.0f32; given_words + 1];
    for _ in 0..iterations {
        counts.fill(0.0);
        let mut at = 0;
        for &(f_words, row) in &links.shapes {
            for _ in 0..f_words {
                let ids = &links.ids[at..at + row];
                let share = 1.0 / ids.iter().map(|&i| p[i as usize]).sum::<f32>();
                for &i in ids {
                    counts[i as usize] += p[i as usize] * share;
                }
                at += row;
            }
        }
        totals.fill(0.0);
        for (&(_, g, _), &count) in links.params.iter().zip(&counts) {
            totals[g as usize] += count;
        }
        for ((&(_, g, _), &count), p) in links.params.iter().zip(&counts).zip(&mut p) {
            *p = count / totals[g as usize];
        }
    }
    let mut rows = vec![Vec::new(); given_words + 1];
    for (&(f, g, together), &p) in links.params.iter().zip(&p) {
        if p >= MIN_KEPT {
            rows[g as usize].push((f, p, together));
        }
    }
    for row in &mut rows {
        row.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook case: "das Haus" / "the house", "das Buch" / "the book", "ein Buch" /
    /// "a book" — EM finds that Buch is book and das is the, which no single pair says.
    #[test]
    fn learns_what_no_single_pair_says() {
        // f: das 0, Haus 1, Buch 2, ein 3; g: the 0, house 1, book 2, a 3.
        let pairs: Vec<(Vec<u32>, Vec<u32>)> = vec![
            (vec![0, 1], vec![0, 1]),
            (vec![0, 2], vec![0, 2]),
            (vec![3, 2], vec![3, 2]),
        ];
        let table = train(pairs.iter().map(|(f, g)| (&f[..], &g[..])), 4, 15);
        assert_eq!(table.row(2)[0].0, 2, "book → Buch");
        assert_eq!(table.row(0)[0].0, 0, "the → das");
        assert!(table.get(2, 2).0 > 0.6, "{:?}", table.row(2));
        assert_eq!(table.get(2, 2).1, 2, "Buch and book share two pairs");
        assert_eq!(table.get(1, 3), (0.0, 0), "house and ein never meet");
    }
}
