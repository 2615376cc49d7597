//! The log-likelihood of a text under every profile of a catalog, computed together: one
//! hash lookup per n-gram of the text finds the profiles that know it.

use rustc_hash::FxHashMap;

use crate::grams::{Gram, Piece, pieces};
use crate::profile::Profile;

/// What every n-gram's count is raised by (additive smoothing), so that an n-gram a profile
/// does not list counts as seen once: one unusual n-gram (a typo, a product name) must cost
/// a language a little, not its place. A hundredth instead put a French query with one typo
/// behind Serbian.
const UNSEEN: f64 = 1.0;
/// The number of distinct n-grams smoothing assumes a language has.
const VOCABULARY: f64 = 200_000.0;

/// Every profile of a catalog, by n-gram.
#[derive(Debug, Clone, Default)]
pub struct Guesser {
    /// Per profile: the log-probability of an n-gram it does not list.
    unseen: Vec<f32>,
    /// Per n-gram: the range of `lifts` that holds the profiles listing it.
    grams: FxHashMap<Gram, (u32, u32)>,
    /// A profile, and how much more likely a listed n-gram is there than an unlisted one
    /// (a log-probability ratio).
    lifts: Vec<(u16, f32)>,
}

impl Guesser {
    /// The guesser of `profiles`; scores come in the same order.
    pub fn new(profiles: &[&Profile]) -> Guesser {
        let denominators: Vec<f64> = profiles
            .iter()
            .map(|p| p.total as f64 + UNSEEN * VOCABULARY)
            .collect();
        let unseen: Vec<f32> = denominators
            .iter()
            .map(|d| (UNSEEN / d).ln() as f32)
            .collect();
        let mut by_gram: FxHashMap<Gram, Vec<(u16, f32)>> = FxHashMap::default();
        for (i, profile) in profiles.iter().enumerate() {
            for (gram, count) in &profile.counts {
                let logp = ((*count as f64 + UNSEEN) / denominators[i]).ln() as f32;
                by_gram
                    .entry(*gram)
                    .or_default()
                    .push((i as u16, logp - unseen[i]));
            }
        }
        let mut grams = FxHashMap::default();
        let mut lifts = Vec::new();
        for (gram, listed) in by_gram {
            let start = lifts.len() as u32;
            lifts.extend(listed);
            grams.insert(gram, (start, lifts.len() as u32));
        }
        lifts.shrink_to_fit();
        Guesser {
            unseen,
            grams,
            lifts,
        }
    }

    /// The number of profiles.
    pub fn len(&self) -> usize {
        self.unseen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.unseen.is_empty()
    }

    /// The log-likelihood of `text` under each profile (natural log; 0 for a text with no
    /// letters). Only differences between profiles mean anything. With `borrowed`, a profile
    /// and a cost: the other profiles' texts may borrow words from its language (English
    /// product names and terms in a localized query), so a word counts for each of them as at
    /// least as likely as in that language, less the cost.
    pub fn scores(&self, text: &str, borrowed: Option<(usize, f32)>) -> Vec<f32> {
        let mut scores = vec![0.0f32; self.unseen.len()];
        let mut word = vec![0.0f32; self.unseen.len()];
        let mut grams = 0u32;
        pieces(text, |piece| match piece {
            Piece::Gram(gram) => {
                grams += 1;
                if let Some(&(start, end)) = self.grams.get(&gram) {
                    for &(profile, lift) in &self.lifts[start as usize..end as usize] {
                        word[profile as usize] += lift;
                    }
                }
            }
            Piece::WordEnd => {
                for (w, unseen) in word.iter_mut().zip(&self.unseen) {
                    *w += grams as f32 * unseen;
                }
                let floor = borrowed.map(|(from, cost)| (from, word[from] - cost));
                for (profile, (score, w)) in scores.iter_mut().zip(&mut word).enumerate() {
                    *score += match floor {
                        Some((from, floor)) if from != profile => w.max(floor),
                        _ => *w,
                    };
                    *w = 0.0;
                }
                grams = 0;
            }
        });
        scores
    }
}
