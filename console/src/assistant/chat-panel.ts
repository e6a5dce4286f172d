import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/client.js';
import { describeFailure } from '../api/errors.js';
import { NavigateEvent } from '../ui/navigate.js';
import { type ChatEvent, takeEvents, touchedTasks } from './chat-events.js';

interface Line {
  role: 'user' | 'assistant';
  text: string;
  tasks: { id: string; title: string }[];
  failed?: boolean;
}

/**
 * The assistant chat (keyboard `c`): a side panel, full width on a phone, where replies stream in as they form
 * and the tasks a reply touched are links to their editor. One conversation per load of the console: closing
 * the panel keeps it.
 */
@customElement('chat-panel')
export class ChatPanel extends LitElement {
  static override styles = css`
    :host(:not([open])) {
      display: none;
    }
    :host {
      position: fixed;
      right: 0;
      bottom: 0;
      z-index: 20;
    }
    aside {
      display: flex;
      flex-direction: column;
      width: min(420px, 100vw);
      height: min(560px, 100dvh);
      box-sizing: border-box;
      background: var(--surface);
      color: var(--text);
      border: 1px solid var(--border);
      border-radius: var(--radius) var(--radius) 0 0;
      box-shadow: var(--shadow-lg);
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 8px 12px;
      border-bottom: 1px solid var(--border);
    }
    h2 {
      font-size: 15px;
      margin: 0;
    }
    ol {
      flex: 1;
      overflow-y: auto;
      list-style: none;
      margin: 0;
      padding: 12px;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    li {
      max-width: 88%;
      padding: 6px 10px;
      border-radius: var(--radius);
      overflow-wrap: anywhere;
    }
    .text {
      white-space: pre-wrap;
    }
    li.user {
      align-self: flex-end;
      background: var(--accent-soft);
    }
    li.assistant {
      align-self: flex-start;
      background: var(--bg);
    }
    li.failed {
      border: 1px solid var(--danger);
    }
    .links {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-top: 4px;
    }
    a {
      color: var(--accent);
    }
    form {
      display: flex;
      gap: 8px;
      padding: 8px 12px 12px;
      border-top: 1px solid var(--border);
    }
    label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    input {
      flex: 1;
      min-width: 0;
      font: inherit;
      padding: 6px 8px;
      color: var(--text);
      background: var(--bg);
      border: 1px solid var(--border);
      border-radius: var(--radius-sm);
    }
    button {
      font: inherit;
      padding: 6px 12px;
      min-height: 32px;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: var(--radius-sm);
      cursor: pointer;
    }
  `;

  @property({ attribute: false }) client!: ApiClient;
  /** Closed, the panel keeps its conversation for the next opening. */
  @property({ type: Boolean, reflect: true }) open = false;
  @state() private lines: Line[] = [];
  @state() private busy = false;
  @query('input') private input!: HTMLInputElement;
  @query('ol') private log!: HTMLOListElement;
  private conversationId: string | undefined;

  /** It opens with the cursor in the message field. */
  override updated(changed: Map<string, unknown>): void {
    if (changed.has('open') && this.open) this.input.focus();
  }

  override render() {
    return html`<aside aria-labelledby="chat-title" @keydown=${this.onKeyDown}>
      <header>
        <h2 id="chat-title">Assistant</h2>
        <button type="button" aria-label="Close the assistant" @click=${this.close}>✕</button>
      </header>
      <ol aria-live="polite" aria-label="Conversation">
        ${
          this.lines.length
            ? nothing
            : html`<li class="assistant">Ask me to add, find, list or complete tasks: “add pay rent on the 1st #home”.</li>`
        }
        ${this.lines.map(
          (l) => html`<li class="${l.role} ${l.failed ? 'failed' : ''}">
            <span class="text">${l.text}</span>${
              l.tasks.length
                ? html`<div class="links">
                  ${l.tasks.map((t) => html`<a href="/tasks/${encodeURIComponent(t.id)}" @click=${(e: Event) => this.openTask(e, t.id)}>${t.title}</a>`)}
                </div>`
                : nothing
            }
          </li>`,
        )}
      </ol>
      <form @submit=${this.send}>
        <label for="chat-input">Message to the assistant</label>
        <input id="chat-input" autocomplete="off" maxlength="2000" ?disabled=${this.busy} />
        <button type="submit" ?disabled=${this.busy}>Send</button>
      </form>
    </aside>`;
  }

  private onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') this.close();
  };

  private close = () => this.dispatchEvent(new Event('close', { bubbles: true, composed: true }));

  private openTask(e: Event, id: string) {
    e.preventDefault();
    this.dispatchEvent(new NavigateEvent(`/tasks/${encodeURIComponent(id)}`));
  }

  private async send(e: Event) {
    e.preventDefault();
    const message = this.input.value.trim();
    if (!message || this.busy) return;
    this.input.value = '';
    const reply: Line = { role: 'assistant', text: '', tasks: [] };
    this.lines = [...this.lines, { role: 'user', text: message, tasks: [] }, reply];
    this.busy = true;
    try {
      const res = await this.client.openStream('/chat', {
        message,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...(this.conversationId ? { conversationId: this.conversationId } : {}),
      });
      await this.read(res, reply);
    } catch (err) {
      Object.assign(reply, { text: `Sorry, that failed: ${describeFailure(err)}`, failed: true });
    } finally {
      this.busy = false;
      this.lines = [...this.lines];
      await this.updateComplete;
      this.input.focus();
    }
  }

  /** Applies each event as it arrives: the reply grows, the touched tasks become links, `done` settles it. */
  private async read(res: Response, reply: Line) {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const { events, rest } = takeEvents(buffer + value);
      buffer = rest;
      for (const ev of events) this.apply(ev, reply);
      this.lines = [...this.lines];
      await this.updateComplete;
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  private apply(ev: ChatEvent, reply: Line) {
    if (ev.event === 'delta') reply.text += ev.data.text;
    else if (ev.event === 'done') {
      this.conversationId = ev.data.conversationId;
      reply.text = ev.data.reply;
      reply.tasks = touchedTasks(ev.data.actions);
      if (
        ev.data.actions.some(
          (a) =>
            !('error' in ((a.result as object) ?? {})) &&
            a.tool !== 'list_tasks' &&
            a.tool !== 'search_tasks' &&
            a.tool !== 'list_notifications',
        )
      ) {
        this.dispatchEvent(new Event('tasks-changed', { bubbles: true, composed: true }));
      }
    } else if (ev.event === 'error')
      Object.assign(reply, { text: `Sorry, that failed: ${ev.data.detail}`, failed: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-panel': ChatPanel;
  }
}
