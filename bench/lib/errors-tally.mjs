/**
 * Counts error frames by code. Errors are part of the result (a `rate_limited` storm explains a
 * low throughput), so they are tallied per scenario rather than logged one by one.
 */
export class ErrorTally {
  /** @type {Record<string, number>} */
  byCode = {};
  first = null;

  /** @param {{ code?: string, message?: string }} error */
  add(error) {
    const code = error?.code ?? 'unknown';
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    this.first ??= `${code}: ${error?.message ?? ''}`.slice(0, 200);
  }

  get total() {
    return Object.values(this.byCode).reduce((a, b) => a + b, 0);
  }

  toJSON() {
    return this.total === 0 ? null : { byCode: this.byCode, first: this.first };
  }
}
