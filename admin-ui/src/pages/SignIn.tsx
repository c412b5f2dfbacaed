import { useState } from 'preact/hooks';
import { api, ApiError, type Session } from '../api';
import { ErrorMessage } from '../components/common';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(email.trim(), password));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError(new Error('That email and password do not match an account.'));
      else if (e instanceof ApiError && e.status === 429) setError(new Error(e.message || 'Too many attempts. Wait a while, then try again.'));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="centered signin">
      <h1>Darklaunch</h1>
      <form onSubmit={submit} class="card" aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in</h2>
        {notice && <p class="notice" role="status">{notice}</p>}
        <label class="field">Email
          <input name="email" autoComplete="username" required value={email} onInput={(ev) => setEmail(ev.currentTarget.value)} autoFocus />
        </label>
        <label class="field">Password
          <input name="password" type="password" autoComplete="current-password" required value={password}
            onInput={(ev) => setPassword(ev.currentTarget.value)} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
