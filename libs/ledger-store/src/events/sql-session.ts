/** A query function bound to one open transaction. */
export type SqlSession = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;
