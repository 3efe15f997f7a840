import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { warmUpPreview } from './lib/preview-warm-up.js';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html lacks #app');
mount(App, { target });

// Once the page has settled: compile the preview's drawing before the first picture needs it.
const idle = (callback: () => void): void => void (typeof requestIdleCallback === 'function' ? requestIdleCallback(callback, { timeout: 2000 }) : setTimeout(callback, 200));
idle(warmUpPreview);
