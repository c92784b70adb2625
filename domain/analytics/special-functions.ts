import gammaln from '@stdlib/math-base-special-gammaln';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';

// The special functions the customer-value models need, from stdlib (Cephes ports, tested against
// reference values), plus the two log-space helpers that keep sums of tiny or huge terms finite.

/** ln Γ(x) for x > 0. */
export const lnGamma: (x: number) => number = gammaln;

/** Gauss's hypergeometric function ₂F₁(a, b; c; z) for |z| < 1. */
export const hypergeometric2F1: (a: number, b: number, c: number, z: number) => number = hyp2f1;

/** ln(e^x + e^y) without overflow or underflow. */
export function logAddExp(x: number, y: number): number {
  const top = Math.max(x, y);
  if (top === Number.NEGATIVE_INFINITY) return top;
  return top + Math.log(Math.exp(x - top) + Math.exp(y - top));
}

/** 1 / (1 + e^x) without overflow: the logistic of -x. */
export function inverseOnePlusExp(x: number): number {
  return x >= 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
}
