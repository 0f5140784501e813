import { Fragment } from 'preact';

/** A record as a definition list: source, proof fields ([erased] shows as it is stored). */
export function Fields({ record }: { record: Record<string, unknown> | null | undefined }) {
  const entries = Object.entries(record ?? {});
  if (entries.length === 0) return <>—</>;
  return (
    <dl class="fields">
      {entries.map(([name, value]) => (
        <Fragment key={name}>
          <dt>{name}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
