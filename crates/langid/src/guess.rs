//! The log-likelihood of a text under every profile of a catalog, computed together: one
//! binary search per n-gram of the text finds the profiles that know it.

use crate::grams::{Gram, Piece, pieces};
use crate::profile::Profile;

/// What every n-gram's count is raised by (additive smoothing), so that an n-gram a profile
/// does not list counts as seen once: one unusual n-gram (a typo, a product name) must cost
/// a language a little, not its place. A hundredth instead put a French query with one typo
/// behind Serbian.
const UNSEEN: f64 = 1.0;
/// The number of distinct n-grams smoothing assumes a language has.
const VOCABULARY: f64 = 200_000.0;

/// Every profile of a catalog, by n-gram, in sorted arrays rather than a hash map: a
/// catalog's profiles list about 150,000 distinct n-grams, and a query looks up a few dozen.
#[derive(Debug, Clone, Default)]
pub struct Guesser {
    /// Per profile: the log-probability of an n-gram it does not list.
    unseen: Vec<f32>,
    /// Every n-gram some profile lists, sorted.
    grams: Vec<Gram>,
    /// Where each n-gram's profiles start in `profiles` and `lifts`, and where the last ends.
    starts: Vec<u32>,
    /// The profiles listing each n-gram.
    profiles: Vec<u16>,
    /// How much likelier the n-gram is in that profile than one it does not list (a
    /// log-probability ratio).
    lifts: Vec<f32>,
}

/// Makes a [`Guesser`] a profile at a time, so that a catalog's profiles need not all be
/// held at once.
#[derive(Debug, Default)]
pub struct GuesserBuilder {
    unseen: Vec<f32>,
    /// Every profile's n-grams, with the profile and the n-gram's lift there.
    listed: Vec<(Gram, u16, f32)>,
}

impl GuesserBuilder {
    /// Adds a profile; its scores come at the position returned.
    pub fn add(&mut self, profile: &Profile) -> usize {
        let position = self.unseen.len();
        let denominator = profile.total as f64 + UNSEEN * VOCABULARY;
        let unseen = (UNSEEN / denominator).ln() as f32;
        self.unseen.push(unseen);
        for (gram, count) in &profile.counts {
            let logp = ((*count as f64 + UNSEEN) / denominator).ln() as f32;
            self.listed.push((*gram, position as u16, logp - unseen));
        }
        position
    }

    pub fn finish(mut self) -> Guesser {
        // Each profile's n-grams were listed sorted, profile after profile: a stable sort
        // by n-gram merges those runs, and keeps each n-gram's profiles in order.
        self.listed.sort_by_key(|(gram, _, _)| *gram);
        let mut guesser = Guesser {
            unseen: self.unseen,
            ..Guesser::default()
        };
        for (gram, profile, lift) in self.listed {
            if guesser.grams.last() != Some(&gram) {
                guesser.grams.push(gram);
                guesser.starts.push(guesser.profiles.len() as u32);
            }
            guesser.profiles.push(profile);
            guesser.lifts.push(lift);
        }
        guesser.starts.push(guesser.profiles.len() as u32);
        guesser.grams.shrink_to_fit();
        guesser.starts.shrink_to_fit();
        guesser.profiles.shrink_to_fit();
        guesser.lifts.shrink_to_fit();
        guesser
    }
}

impl Guesser {
    /// The guesser of `profiles`; scores come in the same order.
    pub fn new(profiles: &[&Profile]) -> Guesser {
        let mut builder = GuesserBuilder::default();
        for profile in profiles {
            builder.add(profile);
        }
        builder.finish()
    }

    /// The profiles listing `gram`, and its lift in each.
    fn listing(&self, gram: Gram) -> impl Iterator<Item = (usize, f32)> + '_ {
        let range = match self.grams.binary_search(&gram) {
            Ok(i) => self.starts[i] as usize..self.starts[i + 1] as usize,
            Err(_) => 0..0,
        };
        self.profiles[range.clone()]
            .iter()
            .map(|p| *p as usize)
            .zip(self.lifts[range].iter().copied())
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
                for (profile, lift) in self.listing(gram) {
                    word[profile] += lift;
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
