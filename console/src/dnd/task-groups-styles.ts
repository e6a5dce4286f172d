import { css } from 'lit';

/** The look of task-groups: titled lists, the drag handle, the drop indicator, subtask indentation. */
export const groupStyles = css`
  :host {
    display: block;
  }
  section + section {
    margin-top: 18px;
  }
  h2 {
    font-size: 15px;
    margin: 0 0 6px;
    display: flex;
    gap: 8px;
    align-items: baseline;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--border);
    border-radius: var(--radius);
    overflow: hidden;
    background: var(--surface);
    min-height: 44px;
  }
  .row.lifted {
    opacity: 0.45;
  }
  .row.lifted.keyboard {
    opacity: 1;
    outline: 2px dashed var(--accent);
    outline-offset: -2px;
  }
  .indicator {
    height: 3px;
    background: var(--accent);
  }
  .empty {
    padding: 12px 14px;
    font-size: 13px;
  }
  .handle {
    flex: none;
    width: 32px;
    min-height: 32px;
    border: 0;
    border-radius: var(--radius-sm);
    background: transparent;
    color: var(--text-muted);
    cursor: grab;
    touch-action: none;
    font-size: 16px;
    line-height: 1;
  }
  .handle:hover {
    background: var(--surface-hover);
  }
  .chip.who {
    font-size: 12px;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    display: inline-block;
  }
  .row[aria-level] {
    padding-left: calc(8px + (var(--level, 1) - 1) * 28px);
  }
  .row.drop-into {
    outline: 2px solid var(--accent);
    outline-offset: -2px;
  }
  .toggle,
  .toggle-space,
  .add-sub {
    flex: none;
    width: 28px;
    min-height: 28px;
  }
  .toggle,
  .add-sub {
    border: 0;
    border-radius: var(--radius-sm);
    background: transparent;
    color: var(--text-muted);
    cursor: pointer;
    font-size: 14px;
    line-height: 1;
  }
  .toggle:hover,
  .add-sub:hover {
    background: var(--surface-hover);
  }
  .toggle[aria-expanded='true'] .chevron {
    transform: rotate(90deg);
  }
  .chevron {
    display: inline-block;
    transition: transform 0.1s;
  }
  .add-sub svg.icon {
    width: 16px;
    height: 16px;
  }
  .new-subtask {
    padding: 8px 14px 8px calc(8px + var(--level, 1) * 28px);
    border-bottom: 1px solid var(--border);
  }
  .new-subtask input {
    width: 100%;
  }
`;
