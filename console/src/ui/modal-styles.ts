import { css } from 'lit';

/** The in-page modal dialogs (native `<dialog>` opened with showModal: focus trapped, Escape closes). */
export const modalStyles = css`
  dialog {
    width: min(460px, calc(100vw - 24px));
    max-height: calc(100vh - 48px);
    padding: 0;
    border: 1px solid var(--border);
    border-radius: var(--radius);
    background: var(--surface);
    color: var(--text);
    box-shadow: var(--shadow-lg);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
  form,
  .body {
    padding: 16px;
  }
  h2 {
    font-size: 17px;
    margin: 0 0 12px;
  }
  label {
    display: block;
    font-weight: 500;
    margin: 10px 0 4px;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 16px;
  }
`;
