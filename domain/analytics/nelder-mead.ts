// Derivative-free minimisation (Nelder and Mead's downhill simplex) with the dimension-adapted
// coefficients of Gao and Han (2012), which keep it converging in 4 and more dimensions.
//
// Written here because the npm packages for it are not fit to ship: `fmin` (0.0.4) publishes a
// UMD bundle as its ES module entry, which Node cannot import, and `numeric` has been unmaintained
// since 2012. The models minimise smooth negative log-likelihoods over a handful of parameters in
// log space, which is the textbook case for this method (lifetimes and scipy use it the same way).

export interface MinimiseOptions {
  /** Stop after this many iterations (default 400 per dimension). */
  readonly maxIterations?: number;
  /** Converged when the simplex's values differ by less than this (default 1e-10, relative to |f|+1)... */
  readonly valueTolerance?: number;
  /** ...and its points by less than this in every coordinate (default 1e-8). */
  readonly pointTolerance?: number;
  /** The first simplex's step along each coordinate (default 0.5). */
  readonly initialStep?: number;
}

export interface Minimum {
  readonly point: number[];
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

interface Vertex {
  point: number[];
  value: number;
}

export function minimise(f: (x: readonly number[]) => number, start: readonly number[], options: MinimiseOptions = {}): Minimum {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 400 * n;
  const valueTolerance = options.valueTolerance ?? 1e-10;
  const pointTolerance = options.pointTolerance ?? 1e-8;
  const step = options.initialStep ?? 0.5;
  // Gao and Han's adaptive coefficients: reflection, expansion, contraction, shrink.
  const reflect = 1;
  const expand = 1 + 2 / n;
  const contract = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;

  // A NaN or infinite value is worse than any finite one, so the simplex walks away from it.
  const evaluate = (point: number[]): Vertex => {
    const value = f(point);
    return { point, value: Number.isFinite(value) ? value : Number.POSITIVE_INFINITY };
  };
  const along = (from: readonly number[], to: readonly number[], t: number) => from.map((v, i) => v + t * (to[i]! - v));

  const simplex: Vertex[] = [evaluate([...start])];
  for (let i = 0; i < n; i++) {
    const point = [...start];
    point[i]! += step;
    simplex.push(evaluate(point));
  }

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    const spread = Math.max(...simplex.slice(1).map((v) => Math.max(...v.point.map((x, i) => Math.abs(x - best.point[i]!)))));
    if (Math.abs(worst.value - best.value) <= valueTolerance * (Math.abs(best.value) + 1) && spread <= pointTolerance) {
      converged = true;
      break;
    }
    const centroid = Array.from({ length: n }, (_, i) => simplex.slice(0, n).reduce((sum, v) => sum + v.point[i]!, 0) / n);
    const reflected = evaluate(along(centroid, worst.point, -reflect));
    if (reflected.value < best.value) {
      const expanded = evaluate(along(centroid, worst.point, -expand));
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value < simplex[n - 1]!.value) {
      simplex[n] = reflected;
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    const outside = reflected.value < worst.value;
    const contracted = evaluate(along(centroid, outside ? reflected.point : worst.point, contract));
    if (contracted.value < (outside ? reflected.value : worst.value)) {
      simplex[n] = contracted;
      continue;
    }
    for (let i = 1; i <= n; i++) simplex[i] = evaluate(along(best.point, simplex[i]!.point, shrink));
  }
  simplex.sort((p, q) => p.value - q.value);
  return { point: simplex[0]!.point, value: simplex[0]!.value, iterations, converged };
}

/**
 * Restarts the simplex from its own answer (smaller steps) until the minimum stops moving: a single
 * run can stall on a ridge, and a restart is how one makes the method trustworthy. At most 8 runs.
 */
export function minimiseToRest(f: (x: readonly number[]) => number, start: readonly number[]): Minimum {
  let point = [...start];
  let iterations = 0;
  let last = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 8; round++) {
    const found = minimise(f, point, { initialStep: round === 0 ? 1 : 0.1 });
    iterations += found.iterations;
    point = found.point;
    const settled = Math.abs(last - found.value) <= 1e-9 * (Math.abs(found.value) + 1);
    last = found.value;
    if (settled && found.converged) return { point, value: last, iterations, converged: true };
  }
  return { point, value: last, iterations, converged: false };
}
