import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

/** Loads a value, with reload; `error` holds the message of the last failure. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ value?: T; error?: string; loading: boolean }>({ loading: true });
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => setState({ value, loading: false }),
      (err: unknown) => setState({ error: message(err), loading: false }),
    );
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs an action, reporting its failure (or success note) in a status line. */
export function useAction(): [string | undefined, (what: () => Promise<unknown>, done?: string) => Promise<boolean>] {
  const [note, setNote] = useState<string>();
  const run = useCallback(async (what: () => Promise<unknown>, done?: string) => {
    setNote(undefined);
    try {
      await what();
      if (done) setNote(done);
      return true;
    } catch (err) {
      setNote(`Error: ${message(err)}`);
      return false;
    }
  }, []);
  return [note, run];
}

export function Note({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <p class={text.startsWith('Error') ? 'note error' : 'note'} role="status">
      {text}
    </p>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function bytes(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '-';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Hash routes: `#/`, `#/b/<bucket>?p=<prefix>`, `#/b/<bucket>/settings`, `#/o/<bucket>?k=<key>`, `#/logs`. */
export const href = {
  buckets: () => '#/',
  objects: (bucket: string, prefix = '') =>
    `#/b/${encodeURIComponent(bucket)}${prefix ? `?p=${encodeURIComponent(prefix)}` : ''}`,
  settings: (bucket: string) => `#/b/${encodeURIComponent(bucket)}/settings`,
  object: (bucket: string, key: string) => `#/o/${encodeURIComponent(bucket)}?k=${encodeURIComponent(key)}`,
  logs: () => '#/logs',
  credentials: () => '#/credentials',
};
