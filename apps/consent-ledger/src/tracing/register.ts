import { startTracing } from './tracing';

/**
 * Imported by main.ts before anything else: instrumentations can only patch modules required after
 * them. Undefined when tracing is off; main.ts shuts it down last, so the final spans are flushed.
 */
export const tracing = startTracing(process.env);
