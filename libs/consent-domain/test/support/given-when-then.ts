import { DomainError, DomainErrorCode, isDomainError } from '../../src';

type Decide<S, C, E> = (command: C, state: S, now: Date) => E[] | DomainError;

export interface Outcome<E> {
  then(expected: readonly E[]): void;
  /** The command was accepted and changed nothing (idempotent replay, no-op). */
  thenNothing(): void;
  thenError(code: DomainErrorCode, field?: string): DomainError;
}

const outcome = <E>(result: E[] | DomainError): Outcome<E> => ({
  then: (expected) => expect(result).toEqual(expected),
  thenNothing: () => expect(result).toEqual([]),
  thenError: (code, field) => {
    if (!isDomainError(result)) throw new Error(`expected ${code}, got events ${JSON.stringify(result)}`);
    expect(result.code).toBe(code);
    if (field !== undefined) expect(result.field).toBe(field);
    expect(result.message).toEqual(expect.any(String));
    return result;
  },
});

/** given(events).when(command, now).then(events) over a decider whose state is folded from `given`. */
export const deciderSpec = <S, C, E>(decide: Decide<S, C, E>, fold: (events: readonly E[]) => S) => ({
  given: (events: readonly E[]) => ({
    when: (command: C, now: Date): Outcome<E> => outcome(decide(command, fold(events), now)),
  }),
});
