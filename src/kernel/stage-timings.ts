// Where a request's time goes by stage (JPKI verification, OCSP, rules, PDF, signature, database), measured only while a benchmark listens.

/** The stages `npm run bench` reports for コンビニ交付 (issue #5). */
export type TimedStage = 'verification' | 'ocsp' | 'rules' | 'pdf' | 'signature' | 'database';

let listener: ((stage: TimedStage, ms: number) => void) | undefined;

/**
 * Starts sending stage durations (wall time, so overlapping work counts in each stage) to `onStage`;
 * returns the function that stops it. One listener at a time; none in production.
 *
 * @example
 * const stop = listenToStages((stage, ms) => totals[stage] += ms);
 */
export function listenToStages(onStage: (stage: TimedStage, ms: number) => void): () => void {
  listener = onStage;
  return () => { if (listener === onStage) listener = undefined; };
}

/** Reports a duration measured elsewhere (a worker thread, the database driver). */
export function recordStage(stage: TimedStage, ms: number): void {
  listener?.(stage, ms);
}

/** Runs `work`, reporting its duration under `stage` when someone listens. */
export async function timedStage<T>(stage: TimedStage, work: () => Promise<T>): Promise<T> {
  if (!listener) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    recordStage(stage, performance.now() - started);
  }
}
