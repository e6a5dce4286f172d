import { css } from 'lit';

/** Out of sight but read by screen readers; for `.visually-hidden` and for text hidden only at some widths. */
export const visuallyHiddenRules = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;

/** Controls, chips and helpers every component shares; the tokens come from theme.css. */
export const controls = css`
  /* Document styles stop at shadow roots, so each component restates the box model. */
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :host {
    font: inherit;
    color: var(--text);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 36px;
    padding: 0 12px;
    border: 1px solid var(--border);
    border-radius: var(--radius-sm);
    background: var(--surface);
    color: var(--text);
    cursor: pointer;
    white-space: nowrap;
  }
  .btn:hover {
    background: var(--surface-hover);
  }
  .btn.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--on-accent);
    font-weight: 600;
  }
  .btn.primary:hover {
    filter: brightness(1.08);
  }
  .btn.danger {
    color: var(--danger);
  }
  .btn.ghost {
    border-color: transparent;
    background: transparent;
  }
  .btn.ghost:hover {
    background: var(--surface-hover);
  }
  .btn.icon {
    padding: 0;
    width: 36px;
    justify-content: center;
  }
  .btn[disabled] {
    opacity: 0.55;
    cursor: default;
  }
  .input {
    min-height: 36px;
    padding: 6px 10px;
    border: 1px solid var(--border-strong);
    border-radius: var(--radius-sm);
    background: var(--surface);
    width: 100%;
    min-width: 0;
  }
  .input[aria-invalid='true'] {
    border-color: var(--danger);
  }
  :is(button, input, select, textarea, a, [tabindex]):focus-visible {
    outline: 2px solid var(--focus);
    outline-offset: 2px;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--surface-2);
    border: 1px solid var(--border);
    font-size: 12.5px;
    line-height: 20px;
    color: var(--text);
    white-space: nowrap;
  }
  .muted {
    color: var(--text-muted);
  }
  .field-error {
    color: var(--danger);
    font-size: 13px;
    margin: 4px 0 0;
  }
  .visually-hidden {
    ${visuallyHiddenRules}
  }
  svg.icon {
    width: 18px;
    height: 18px;
    flex: none;
  }
`;

/** A routed page (activity, settings): a block host, its heading, and the card that holds its content. */
export const page = css`
  :host {
    display: block;
  }
  h1 {
    font-size: 20px;
    margin: 0 0 14px;
  }
  .card {
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    box-shadow: var(--shadow);
  }
`;
