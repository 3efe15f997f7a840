/** The same journey in the Electron shell, where its binary and a display exist. */
import { defineE2e } from './specs.js';
import { electronTarget } from './targets.js';

defineE2e(electronTarget);
