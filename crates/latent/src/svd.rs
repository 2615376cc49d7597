//! The leading right singular vectors of a sparse matrix, by randomized subspace iteration
//! (Halko, Martinsson & Tropp 2011): a few products with the matrix and its transpose, and
//! one small dense eigenproblem. A locale's matrix has a few thousand rows (articles) and
//! ten thousand columns (terms), a few hundred entries a row, so the products are cheap and
//! the whole decomposition takes about a second.

/// A sparse matrix, row after row.
#[derive(Debug, Default)]
pub(crate) struct Sparse {
    pub columns: usize,
    /// Where each row's entries start in `entries`, and where the last ends.
    pub row_starts: Vec<usize>,
    pub entries: Vec<(u32, f32)>,
}

impl Sparse {
    pub fn rows(&self) -> usize {
        self.row_starts.len().saturating_sub(1)
    }

    pub fn row(&self, i: usize) -> &[(u32, f32)] {
        &self.entries[self.row_starts[i]..self.row_starts[i + 1]]
    }

    /// `self · x`.
    fn times(&self, x: &Dense) -> Dense {
        let mut out = Dense::zeros(self.rows(), x.columns);
        for i in 0..self.rows() {
            let row = out.row_mut(i);
            for &(j, value) in self.row(i) {
                axpy(row, f64::from(value), x.row(j as usize));
            }
        }
        out
    }

    /// `selfᵀ · y`.
    fn transpose_times(&self, y: &Dense) -> Dense {
        let mut out = Dense::zeros(self.columns, y.columns);
        for i in 0..self.rows() {
            for &(j, value) in self.row(i) {
                axpy(out.row_mut(j as usize), f64::from(value), y.row(i));
            }
        }
        out
    }
}

/// A dense matrix, row-major.
#[derive(Debug, Clone)]
pub(crate) struct Dense {
    pub rows: usize,
    pub columns: usize,
    pub data: Vec<f64>,
}

impl Dense {
    fn zeros(rows: usize, columns: usize) -> Dense {
        Dense {
            rows,
            columns,
            data: vec![0.0; rows * columns],
        }
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.columns..(i + 1) * self.columns]
    }

    fn row_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.data[i * self.columns..(i + 1) * self.columns]
    }

    fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.columns + j]
    }
}

fn axpy(out: &mut [f64], factor: f64, x: &[f64]) {
    for (o, v) in out.iter_mut().zip(x) {
        *o += factor * v;
    }
}

/// Makes the columns orthonormal (modified Gram–Schmidt, twice for accuracy); a column that
/// the ones before it already span becomes zero.
fn orthonormalize(m: &mut Dense) {
    let mut columns: Vec<Vec<f64>> = (0..m.columns)
        .map(|j| (0..m.rows).map(|i| m.get(i, j)).collect())
        .collect();
    for j in 0..columns.len() {
        let (done, rest) = columns.split_at_mut(j);
        let column = &mut rest[0];
        let before = norm(column);
        for _ in 0..2 {
            for q in done.iter() {
                let projection = dot(q, column);
                axpy(column, -projection, q);
            }
        }
        let after = norm(column);
        let scale = if after > before * 1e-10 && after > 0.0 {
            1.0 / after
        } else {
            0.0
        };
        column.iter_mut().for_each(|v| *v *= scale);
    }
    for (j, column) in columns.iter().enumerate() {
        for (i, v) in column.iter().enumerate() {
            m.data[i * m.columns + j] = *v;
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// Normally distributed numbers from a fixed seed: the same corpus gives the same space.
fn gaussian(rows: usize, columns: usize) -> Dense {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut m = Dense::zeros(rows, columns);
    for v in m.data.iter_mut() {
        // Box–Muller; 1 - u keeps the logarithm finite.
        let (u, w) = (1.0 - next(), next());
        *v = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * w).cos();
    }
    m
}

/// The eigenvalues and eigenvectors (columns of the second) of a small symmetric matrix, by
/// cyclic Jacobi rotations, largest eigenvalue first.
fn symmetric_eigen(mut a: Dense) -> (Vec<f64>, Dense) {
    let n = a.rows;
    let mut v = Dense::zeros(n, n);
    for i in 0..n {
        v.data[i * n + i] = 1.0;
    }
    for _sweep in 0..60 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a.get(i, j).powi(2))
            .sum();
        let scale: f64 = (0..n).map(|i| a.get(i, i).powi(2)).sum::<f64>();
        if off <= 1e-24 * scale.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a.get(p, q);
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a.get(q, q) - a.get(p, p)) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                rotate(&mut a, &mut v, p, q, c, s);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a.get(j, j).total_cmp(&a.get(i, i)));
    let values = order.iter().map(|&i| a.get(i, i)).collect();
    let mut vectors = Dense::zeros(n, n);
    for (to, &from) in order.iter().enumerate() {
        for i in 0..n {
            vectors.data[i * n + to] = v.get(i, from);
        }
    }
    (values, vectors)
}

/// `a ← Jᵀ a J` and `v ← v J` for the rotation `J` in the plane (p, q).
fn rotate(a: &mut Dense, v: &mut Dense, p: usize, q: usize, c: f64, s: f64) {
    let n = a.rows;
    for k in 0..n {
        let (akp, akq) = (a.get(k, p), a.get(k, q));
        a.data[k * n + p] = c * akp - s * akq;
        a.data[k * n + q] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a.get(p, k), a.get(q, k));
        a.data[p * n + k] = c * apk - s * aqk;
        a.data[q * n + k] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v.get(k, p), v.get(k, q));
        v.data[k * n + p] = c * vkp - s * vkq;
        v.data[k * n + q] = s * vkp + c * vkq;
    }
}

/// The `dimensions` leading right singular vectors of `a`, as rows: one per column of `a`
/// (a term), `dimensions` numbers each (fewer when the matrix has lower rank).
pub(crate) fn right_singular_vectors(
    a: &Sparse,
    dimensions: usize,
    oversampling: usize,
    power_iterations: usize,
) -> Dense {
    let sketch = (dimensions + oversampling).min(a.rows()).min(a.columns);
    if sketch == 0 {
        return Dense::zeros(a.columns, 0);
    }
    let mut y = a.times(&gaussian(a.columns, sketch));
    for _ in 0..power_iterations {
        // Only the short side (articles) is made orthonormal between products: the long
        // side (terms) would cost four times as much, and the next step rescales it anyway.
        orthonormalize(&mut y);
        y = a.times(&a.transpose_times(&y));
    }
    orthonormalize(&mut y);
    // B = Qᵀ A, kept as Bᵀ (terms × sketch); B Bᵀ's eigenvectors are B's left singular
    // vectors, and Bᵀ w / σ its right ones.
    let bt = a.transpose_times(&y);
    let mut gram = Dense::zeros(sketch, sketch);
    for i in 0..bt.rows {
        let row = bt.row(i);
        for p in 0..sketch {
            axpy(gram.row_mut(p), row[p], row);
        }
    }
    let (values, vectors) = symmetric_eigen(gram);
    let largest = values.first().copied().unwrap_or(0.0);
    let kept: Vec<usize> = (0..dimensions.min(sketch))
        .take_while(|&k| values[k] > largest * 1e-12 && values[k] > 0.0)
        .collect();
    // Each kept eigenvector divided by its singular value, contiguous.
    let directions: Vec<Vec<f64>> = kept
        .iter()
        .map(|&k| {
            let sigma = values[k].sqrt();
            (0..sketch).map(|p| vectors.get(p, k) / sigma).collect()
        })
        .collect();
    let mut v = Dense::zeros(a.columns, kept.len());
    for term in 0..a.columns {
        let row = bt.row(term);
        for (out, direction) in directions.iter().enumerate() {
            v.data[term * kept.len() + out] = dot(row, direction);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sparse(rows: &[&[(u32, f32)]], columns: usize) -> Sparse {
        let mut m = Sparse {
            columns,
            row_starts: vec![0],
            entries: Vec::new(),
        };
        for row in rows {
            m.entries.extend_from_slice(row);
            m.row_starts.push(m.entries.len());
        }
        m
    }

    #[test]
    fn eigenvalues_of_a_symmetric_matrix_come_largest_first_with_their_vectors() {
        let a = Dense {
            rows: 3,
            columns: 3,
            data: vec![2.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 5.0],
        };
        let (values, vectors) = symmetric_eigen(a.clone());
        let expected = [5.0, 3.0, 1.0];
        for (k, want) in expected.iter().enumerate() {
            assert!((values[k] - want).abs() < 1e-9, "{values:?}");
            // a v = λ v
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a.get(i, j) * vectors.get(j, k)).sum();
                assert!((av - want * vectors.get(i, k)).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn a_rank_two_matrix_is_spanned_by_two_orthonormal_directions() {
        // Rows are combinations of (1,1,0,0) and (0,0,1,1): two directions, the first
        // carrying more weight.
        let a = sparse(
            &[
                &[(0, 3.0), (1, 3.0)],
                &[(0, 2.0), (1, 2.0), (2, 1.0), (3, 1.0)],
                &[(2, 1.0), (3, 1.0)],
                &[(0, 4.0), (1, 4.0)],
            ],
            4,
        );
        let v = right_singular_vectors(&a, 3, 2, 2);
        assert_eq!(v.columns, 2, "a rank-2 matrix has two directions");
        for k in 0..2 {
            let column: Vec<f64> = (0..4).map(|t| v.get(t, k)).collect();
            assert!((norm(&column) - 1.0).abs() < 1e-9);
        }
        // Terms 0 and 1 always occur together: the same vector.
        for k in 0..2 {
            assert!((v.get(0, k) - v.get(1, k)).abs() < 1e-9);
            assert!((v.get(2, k) - v.get(3, k)).abs() < 1e-9);
        }
        // The leading direction is the heavier pair's.
        assert!(v.get(0, 0).abs() > v.get(2, 0).abs());
    }

    #[test]
    fn an_empty_matrix_has_no_direction() {
        let a = sparse(&[], 5);
        assert_eq!(right_singular_vectors(&a, 4, 2, 2).columns, 0);
        let zero = sparse(&[&[]], 3);
        assert_eq!(right_singular_vectors(&zero, 4, 2, 2).columns, 0);
    }
}
