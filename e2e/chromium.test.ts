/** The acceptance journey in Debian's Chromium, against the web host and the real engine. */
import { defineE2e } from './specs.js';
import { chromiumTarget } from './targets.js';

defineE2e(chromiumTarget);
