import type { Session as AuthResult } from '@todo/contract';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import { NetworkError, ProblemError } from '../api/errors.js';
import { icons } from '../ui/icons.js';
import { followLink } from '../ui/navigate.js';
import { controls } from '../ui/shared-styles.js';
import type { Session } from './session.js';

/** Log in or sign up; on success the session starts and the shell takes over. */
@customElement('auth-form')
export class AuthForm extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100vh;
        padding: 24px 16px;
      }
      .card {
        width: min(400px, 100%);
        background: var(--surface);
        border: 1px solid var(--border);
        border-radius: 12px;
        box-shadow: var(--shadow);
        padding: 28px 24px;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 8px;
        font-weight: 700;
        font-size: 18px;
        color: var(--accent);
        margin-bottom: 18px;
      }
      .brand svg {
        width: 26px;
        height: 26px;
      }
      h1 {
        font-size: 22px;
        margin: 0 0 4px;
      }
      p.lead {
        margin: 0 0 20px;
      }
      label {
        display: block;
        font-weight: 600;
        font-size: 14px;
        margin: 14px 0 6px;
      }
      .btn.primary {
        width: 100%;
        justify-content: center;
        margin-top: 20px;
        min-height: 40px;
      }
      .switch {
        margin-top: 16px;
        text-align: center;
      }
      a {
        color: var(--accent);
      }
      .notice {
        padding: 10px 12px;
        border-radius: var(--radius-sm);
        background: var(--warning-soft);
        border: 1px solid var(--warning);
        margin-bottom: 12px;
      }
      .notice.error {
        background: var(--danger-soft);
        border-color: var(--danger);
      }
    `,
  ];

  @property() mode: 'login' | 'signup' = 'login';
  /** Why the user is asked to log in, when it is not just to see their tasks. */
  @property() lead = '';
  @property({ attribute: false }) client!: ApiClient;
  @property({ attribute: false }) session!: Session;
  @state() private errors = new Map<string, string>();
  @state() private failure = '';
  @state() private busy = false;

  override render() {
    const signup = this.mode === 'signup';
    const expired = this.session?.lastSignOut === 'expired';
    return html`<div class="card">
      <header class="brand">${icons.logo} Todo</header>
      <main>
      <h1>${signup ? 'Create your account' : 'Welcome back'}</h1>
      <p class="lead muted">${this.lead || (signup ? 'Plan, repeat and get reminded.' : 'Log in to see your tasks.')}</p>
      ${expired && !signup ? html`<p class="notice" role="status">Your session has expired. Please log in again.</p>` : null}
      ${this.failure ? html`<p class="notice error" role="alert">${this.failure}</p>` : null}
      <form @submit=${this.submit} novalidate>
        ${signup ? this.field('name', 'Name', 'text', 'name') : null}
        ${this.field('email', 'Email', 'email', 'email')}
        ${this.field('password', 'Password', 'password', signup ? 'new-password' : 'current-password')}
        <button class="btn primary" type="submit" ?disabled=${this.busy}>
          ${signup ? 'Sign up' : 'Log in'}
        </button>
      </form>
      <p class="switch muted">
        ${
          signup
            ? html`Already have an account? <a href="/login" @click=${followLink}>Log in</a>`
            : html`New here? <a href="/signup" @click=${followLink}>Create an account</a>`
        }
      </p>
      </main>
    </div>`;
  }

  private field(name: string, label: string, type: string, autocomplete: string) {
    const error = this.errors.get(name);
    return html`<label for=${name}>${label}</label>
      <input
        class="input"
        id=${name}
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        ?required=${name !== 'name'}
        minlength=${name === 'password' && this.mode === 'signup' ? 8 : 0}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : ''}
      />
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : null}`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const body: Record<string, string> = {
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
    const name = String(data.get('name') ?? '').trim();
    if (this.mode === 'signup' && name) body.name = name;
    const errors = new Map<string, string>();
    if (!body.email) errors.set('email', 'Enter your email address.');
    if (!body.password) errors.set('password', 'Enter your password.');
    else if (this.mode === 'signup' && body.password.length < 8)
      errors.set('password', 'Use at least 8 characters.');
    this.errors = errors;
    this.failure = '';
    if (errors.size) return;
    this.busy = true;
    try {
      const path = this.mode === 'signup' ? '/auth/signup' : '/auth/login';
      const res = await this.client.request<AuthResult>('POST', path, { body, anonymous: true });
      this.session.signIn(res.data);
    } catch (err) {
      this.showFailure(err);
    } finally {
      this.busy = false;
    }
  }

  private showFailure(err: unknown) {
    if (err instanceof ProblemError) {
      if (err.status === 401) this.failure = 'That email and password do not match an account.';
      else if (err.status === 409)
        this.errors = new Map([['email', 'An account with this email already exists.']]);
      else if (err.fieldErrors.length) this.errors = err.byPath();
      else this.failure = err.message;
    } else if (err instanceof NetworkError) this.failure = err.message;
    else this.failure = 'Something went wrong. Try again.';
  }
}
