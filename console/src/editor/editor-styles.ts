import { css } from 'lit';

/** The editor dialog: a side sheet on wide screens, full screen on phones. */
export const editorStyles = css`
  dialog {
    margin: 0 0 0 auto;
    height: 100vh;
    max-height: 100vh;
    width: min(560px, 100vw);
    max-width: 100vw;
    padding: 0;
    border: 0;
    border-left: 1px solid var(--border);
    background: var(--surface);
    color: var(--text);
    box-shadow: var(--shadow-lg);
    display: flex;
    flex-direction: column;
  }
  dialog:not([open]) {
    display: none;
  }
  dialog::backdrop {
    background: rgb(15 18 23 / 45%);
  }
  .head,
  footer {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 12px 16px;
    border-bottom: 1px solid var(--border);
  }
  footer {
    border-bottom: 0;
    border-top: 1px solid var(--border);
    margin-top: auto;
  }
  h2 {
    font-size: 17px;
    margin: 0;
    flex: 1;
  }
  h3 {
    font-size: 14px;
    margin: 20px 0 8px;
    padding-top: 14px;
    border-top: 1px solid var(--border);
  }
  .body {
    padding: 8px 16px 16px;
    overflow-y: auto;
    flex: 1;
  }
  label {
    display: block;
    font-weight: 600;
    font-size: 13px;
    margin: 12px 0 5px;
  }
  textarea.input {
    resize: vertical;
  }
  .cols {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
    gap: 0 12px;
  }
  .wide {
    grid-column: span 2;
  }
  @media (max-width: 420px) {
    .wide {
      grid-column: auto;
    }
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .tags .input {
    flex: 1 1 140px;
    width: auto;
  }
  .x {
    border: 0;
    background: none;
    cursor: pointer;
    padding: 0 2px;
    font-size: 15px;
    line-height: 1;
    color: var(--text-muted);
  }
  .alert {
    padding: 8px 10px;
    border-radius: var(--radius-sm);
    border: 1px solid var(--danger);
    background: var(--danger-soft);
  }
  .alert.offline {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 12px;
    border-color: var(--warning);
    background: var(--warning-soft);
  }
  .spacer {
    flex: 1;
  }
`;
