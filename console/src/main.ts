/** Console entry: global theme, then the root element. */
import './ui/theme.css';
import { applyDensity, savedDensity } from './ui/density.js';
import './app/todo-app.js';

// Before the first render, so rows never jump from one density to the other.
applyDensity(savedDensity());
