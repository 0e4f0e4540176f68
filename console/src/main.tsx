import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BucketSettings } from './views/bucket-settings.js';
import { Buckets } from './views/buckets.js';
import { CredentialsForm } from './views/credentials.js';
import { Logs } from './views/logs.js';
import { ObjectDetails } from './views/object-details.js';
import { Objects } from './views/objects.js';
import { href } from './ui.js';
import './style.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Screen({ hash }: { hash: string }) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(search);
  const m = /^\/(b|o)\/([^/]+)(\/settings)?$/.exec(path ?? '');
  if (m) {
    const bucket = decodeURIComponent(m[2]!);
    if (m[1] === 'o') return <ObjectDetails bucket={bucket} objectKey={q.get('k') ?? ''} />;
    if (m[3]) return <BucketSettings bucket={bucket} />;
    const prefix = q.get('p') ?? '';
    return <Objects key={`${bucket}/${prefix}`} bucket={bucket} prefix={prefix} />;
  }
  if (path === '/logs') return <Logs />;
  if (path === '/credentials') return <CredentialsForm />;
  return <Buckets />;
}

function App() {
  const hash = useHash();
  const at = (prefix: string) => (hash.startsWith(prefix) ? 'active' : undefined);
  return (
    <>
      <header>
        <strong>s3scribe</strong>
        <nav>
          <a href={href.buckets()} class={!at('#/logs') && !at('#/credentials') ? 'active' : undefined}>
            Buckets
          </a>
          <a href={href.logs()} class={at('#/logs')}>
            Access logs
          </a>
          <a href={href.credentials()} class={at('#/credentials')}>
            Credentials
          </a>
        </nav>
      </header>
      <main>
        {typeof crypto.subtle === 'undefined' ? (
          <p class="note error">
            This page is not a secure context, so the browser offers no WebCrypto to sign requests with. Open it as
            http://localhost or http://127.0.0.1, or over HTTPS.
          </p>
        ) : (
          <Screen hash={hash} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
