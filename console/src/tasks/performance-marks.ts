/** User Timing mark set when the first task rows are laid out; `npm run bench:console` reads it. */
export const FIRST_ROWS_MARK = 'todo:first-rows';
