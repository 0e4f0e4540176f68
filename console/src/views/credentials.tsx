import { useState } from 'preact/hooks';
import { loadCredentials, saveCredentials } from '../credentials.js';
import { Note, Section } from '../ui.js';

/** The access key the console signs its S3 requests with (SigV4), kept in localStorage. */
export function CredentialsForm() {
  const [c, setC] = useState(loadCredentials);
  const [note, setNote] = useState<string>();
  const set = (k: keyof typeof c) => (e: { currentTarget: HTMLInputElement }) =>
    setC({ ...c, [k]: e.currentTarget.value });
  return (
    <Section title="Credentials">
      <p class="hint">
        The console signs every S3 request with Signature Version 4, so it also works against a server started with
        --verify-signatures. Without that flag any key is accepted.
      </p>
      <form
        class="grid"
        onSubmit={(e) => {
          e.preventDefault();
          saveCredentials(c);
          setNote('Saved in this browser.');
        }}
      >
        <label>
          Access key ID
          <input name="accessKeyId" value={c.accessKeyId} autoComplete="off" onInput={set('accessKeyId')} />
        </label>
        <label>
          Secret access key
          <input
            name="secretAccessKey"
            type="password"
            value={c.secretAccessKey}
            autoComplete="off"
            onInput={set('secretAccessKey')}
          />
        </label>
        <label>
          Region
          <input name="region" value={c.region} autoComplete="off" onInput={set('region')} />
        </label>
        <div class="row">
          <button type="submit">Save</button>
        </div>
      </form>
      <Note text={note} />
    </Section>
  );
}
