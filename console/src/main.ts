/** Console entry: global theme, then the root element. */
import './ui/theme.css';
import './app/todo-app.js';
